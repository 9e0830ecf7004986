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

    /// <summary>What makes this manifest unusable (a field missing or disagreeing with another), or null.</summary>
    private string? Problem()
    {
        if (Config is null || Features is null)
            return "config or features missing";
        if (Features.VideoDim + (Features.Tef ? 2 : 0) != Config.VideoDim || Features.Tef != Config.UsesTef)
            return $"features.video_dim {Features.VideoDim} (tef {Features.Tef}) does not make config.video_dim {Config.VideoDim}";
        if (Features.TextDim != Config.TextDim || Features.MaxTextTokens != Config.MaxTextTokens)
            return $"features' text width or tokens ({Features.TextDim}, {Features.MaxTextTokens}) differ from the config's ({Config.TextDim}, {Config.MaxTextTokens})";
        if (Config.MaxVideoClips < 1 || Config.Queries < 1 || Config.MaxTextTokens < 1)
            return "max_video_clips, queries and max_text_tokens must be at least 1";
        if (!(Features.ClipSeconds > 0) || !double.IsFinite(Features.ClipSeconds))
            return $"clip_seconds {Features.ClipSeconds} is not a positive number";
        return null;
    }

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
            if (manifest.Format > CurrentFormat)
                throw new ModelFileException(path, $"the grounder manifest has format {manifest.Format}; this Vireo reads up to {CurrentFormat}");
            return manifest.Problem() is { } problem
                ? throw new ModelFileException(path, $"the grounder manifest is inconsistent: {problem}; import the checkpoint again")
                : manifest;
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
