using System.Text.Json;
using System.Text.Json.Serialization;
using Vireo.Grounding.Trained.Networks;
using Vireo.Models;

namespace Vireo.Grounding.Trained;

/// <summary>
/// <c>grounder.json</c> of a trained-grounder folder: what the network is, the features it needs, where it came from,
/// and the SHA-256 of its ONNX graph (checked when the folder is opened).
/// </summary>
public sealed record GrounderManifest
{
    public const int CurrentFormat = 1;

    public const string FileName = "grounder.json";

    public const string GraphFileName = "model.onnx";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public int Format { get; init; } = CurrentFormat;

    public required string Name { get; init; }

    public required DetrArchitecture Architecture { get; init; }

    /// <summary>The network's configuration, as read from the checkpoint's training options.</summary>
    public required DetrConfig Config { get; init; }

    public required FeatureSpec Features { get; init; }

    /// <summary>The data set the checkpoint was trained on (<c>dset_name</c>).</summary>
    public required string TrainedOn { get; init; }

    /// <summary>The checkpoint's file name and SHA-256.</summary>
    public required string SourceCheckpoint { get; init; }

    public required string SourceSha256 { get; init; }

    /// <summary>SHA-256 of <see cref="GraphFileName"/>.</summary>
    public required string GraphSha256 { get; init; }

    public required DateTimeOffset ImportedAt { get; init; }

    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    /// <exception cref="ModelFileException">The manifest is missing, unreadable, malformed or of a newer format.</exception>
    public static GrounderManifest Read(string path)
    {
        if (!File.Exists(path))
            throw new ModelFileException(path, "no grounder manifest here: import a checkpoint with 'vireo models import CHECKPOINT.ckpt'");
        try
        {
            var manifest = JsonSerializer.Deserialize<GrounderManifest>(File.ReadAllText(path), Json)
                ?? throw new ModelFileException(path, "the grounder manifest is empty");
            return manifest.Format <= CurrentFormat
                ? manifest
                : throw new ModelFileException(path, $"the grounder manifest has format {manifest.Format}; this Vireo reads up to {CurrentFormat}");
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, "the grounder manifest is malformed: " + e.Message, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ModelFileException(path, "cannot be read: permission denied", e);
        }
    }
}
