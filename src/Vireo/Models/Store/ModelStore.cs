using System.Text.Json;
using System.Text.Json.Serialization;
using Vireo.Models.Store;

namespace Vireo.Models.Store;

/// <summary>A model known to the store by name.</summary>
/// <param name="Name">The name to pass as <c>--model</c>.</param>
/// <param name="Path">The model folder.</param>
/// <param name="Source">Where it came from: the imported folder, or "hf:owner/name".</param>
/// <param name="Layout">Its folder layout.</param>
/// <param name="Variant">Which weights it uses.</param>
/// <param name="Dimension">Embedding size.</param>
/// <param name="Fingerprint">The weights' fingerprint (see <see cref="ModelIdentity"/>).</param>
/// <param name="AddedAt">When it was registered.</param>
public sealed record RegisteredModel(
    string Name, string Path, string Source, ModelLayout Layout, ModelVariant Variant, int Dimension, string Fingerprint, DateTimeOffset AddedAt);

/// <summary>
/// The registry of models on this machine: a folder (the models directory) with a <c>registry.json</c>
/// naming each model and where it lives. Pulled models are stored inside the folder; imported ones are
/// validated and registered where they are, or copied in with <c>copy: true</c>.
/// Default folder: <c>$VIREO_MODELS</c>, else the user's local application data folder + <c>vireo/models</c>
/// (Linux: <c>~/.local/share/vireo/models</c>).
/// </summary>
public sealed class ModelStore
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public ModelStore(string? directory = null)
    {
        Directory = Path.GetFullPath(directory ?? DefaultDirectory);
    }

    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable("VIREO_MODELS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "vireo", "models");

    public string Directory { get; }

    private string RegistryPath => Path.Combine(Directory, "registry.json");

    public IReadOnlyList<RegisteredModel> List() => Read();

    /// <summary>The registered model called <paramref name="name"/>, or null.</summary>
    public RegisteredModel? Find(string name) => Read().FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// The folder for <paramref name="nameOrPath"/>: a registered name, or a path to a model folder. With no
    /// argument: the only registered model, or the one named "default".
    /// </summary>
    public string ResolveFolder(string? nameOrPath)
    {
        if (nameOrPath is null)
        {
            var models = Read();
            var chosen = models.Count == 1 ? models[0] : models.FirstOrDefault(m => m.Name == "default");
            return chosen?.Path ?? throw new ModelNotFoundException(Directory, models.Count == 0
                ? "no model is registered: run 'vireo models pull Xenova/clip-vit-base-patch32' or 'vireo models import DIR', or pass --model DIR"
                : $"several models are registered ({string.Join(", ", models.Select(m => m.Name))}); choose one with --model");
        }
        if (Find(nameOrPath) is { } registered)
            return registered.Path;
        if (System.IO.Directory.Exists(nameOrPath))
            return Path.GetFullPath(nameOrPath);
        throw new ModelNotFoundException(nameOrPath, $"no registered model has this name and no folder has this path (registered: {string.Join(", ", Read().Select(m => m.Name).DefaultIfEmpty("none"))})");
    }

    /// <summary>
    /// Loads the model <paramref name="nameOrPath"/> refers to (see <see cref="ResolveFolder"/>), in the variant
    /// <paramref name="options"/> asks for, else: a registered name's variant (a folder may be registered under two
    /// names for two variants), a folder path's default variant.
    /// </summary>
    public EmbeddingModel Load(string? nameOrPath, EncoderOptions? options = null)
    {
        var folder = ResolveFolder(nameOrPath);
        var models = Read();
        var named = nameOrPath is null ? models.FirstOrDefault(m => m.Path == folder) : models.FirstOrDefault(m => m.Name == nameOrPath);
        options ??= new EncoderOptions();
        if (options.Variant is null)
            options = options with { Variant = named?.Variant ?? ModelVariant.Default };
        var registered = named?.Variant == options.Variant ? named : models.FirstOrDefault(m => m.Path == folder && m.Variant == options.Variant);
        return EmbeddingModel.Load(folder, options, registered?.Name);
    }

    /// <summary>Validates the model in <paramref name="folder"/> (loads it and embeds a sentence) and registers it.</summary>
    public RegisteredModel Import(string folder, string? name = null, bool copy = false, ModelVariant variant = ModelVariant.Default)
    {
        var source = Path.GetFullPath(folder);
        name ??= Path.GetFileName(source.TrimEnd(Path.DirectorySeparatorChar));
        ValidateName(name);
        var target = source;
        if (copy)
        {
            target = Path.Combine(Directory, name);
            if (System.IO.Directory.Exists(target))
                throw new ModelException(target, "a model folder with this name already exists in the store");
            CopyFolder(source, target);
        }
        return Register(name, target, source, variant);
    }

    /// <summary>
    /// Downloads <paramref name="repository"/> ("owner/name") from the Hugging Face hub into the store (resumable,
    /// checksums verified), validates and registers it.
    /// </summary>
    public async Task<RegisteredModel> PullAsync(
        HubClient hub, string repository, string? name = null, ModelVariant variant = ModelVariant.Default,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        if (repository.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
            throw new ModelException(repository, "a hub repository is written owner/name, e.g. Xenova/clip-vit-base-patch32");
        name ??= repository.Split('/')[1];
        ValidateName(name);
        var files = HubFileSelection.Select(await hub.ListFilesAsync(repository, cancellationToken: cancellationToken).ConfigureAwait(false), variant);
        if (!files.Any(f => f.Path.EndsWith(".onnx", StringComparison.Ordinal)))
            throw new ModelDownloadException(repository, $"the repository has no ONNX model for the {variant.ToString().ToLowerInvariant()} variant");
        var target = Path.Combine(Directory, name);
        await hub.DownloadAsync(repository, files, target, progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Register(name, target, "hf:" + repository, variant);
    }

    /// <summary>Forgets a model; its files are deleted only when they live inside the store.</summary>
    public bool Remove(string name)
    {
        var models = Read();
        var model = models.FirstOrDefault(m => m.Name == name);
        if (model is null)
            return false;
        Write([.. models.Where(m => m != model)]);
        if (Path.GetFullPath(model.Path).StartsWith(Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal) && System.IO.Directory.Exists(model.Path))
            System.IO.Directory.Delete(model.Path, recursive: true);
        return true;
    }

    private RegisteredModel Register(string name, string folder, string source, ModelVariant variant)
    {
        using var model = EmbeddingModel.Load(folder, new EncoderOptions { Variant = variant, IntraOpThreads = 1 }, name);
        var probe = model.Text.Encode("a photo of a cat");
        if (probe.Any(v => !float.IsFinite(v)))
            throw new ModelFileException(folder, "the text model produced non-finite values");
        var entry = new RegisteredModel(name, folder, source, model.Files.Layout, variant, model.Dimension, model.Identity.Fingerprint, DateTimeOffset.UtcNow);
        Write([.. Read().Where(m => m.Name != name), entry]);
        return entry;
    }

    private List<RegisteredModel> Read()
    {
        if (!File.Exists(RegistryPath))
            return [];
        try
        {
            return JsonSerializer.Deserialize<List<RegisteredModel>>(File.ReadAllText(RegistryPath), Json) ?? [];
        }
        catch (JsonException e)
        {
            throw new ModelException(RegistryPath, "the model registry is damaged: " + e.Message + " (fix or delete the file)", e);
        }
    }

    private void Write(List<RegisteredModel> models)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = RegistryPath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(models, Json));
        File.Move(temporary, RegistryPath, overwrite: true);
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            throw new ModelException(name, "not a valid model name (it becomes a folder name)");
    }

    private static void CopyFolder(string source, string target)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
