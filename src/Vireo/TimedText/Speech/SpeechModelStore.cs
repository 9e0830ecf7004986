using Vireo.Models;
using Vireo.Models.Store;

namespace Vireo.TimedText.Speech;

/// <summary>
/// The Whisper models on this machine: ggml files under <c>whisper/</c> of the model store
/// (<see cref="ModelStore.DefaultDirectory"/>), pulled by name from the whisper.cpp model repository on the Hugging
/// Face hub (<c>ggerganov/whisper.cpp</c>, files <c>ggml-&lt;size&gt;.bin</c>) through the store's resumable, checksummed
/// download, or any ggml file the user names by path.
/// </summary>
public sealed class SpeechModelStore(string? modelsDirectory = null)
{
    /// <summary>The hub repository the models come from.</summary>
    public const string Repository = "ggerganov/whisper.cpp";

    internal const string FilePrefix = "ggml-";
    internal const string FileExtension = ".bin";
    private const string NamePrefix = "whisper-";

    /// <summary>What to tell a user without a model.</summary>
    public const string HowToGetOne =
        "Get a Whisper model with 'vireo models pull whisper-base' (or whisper-base.en, whisper-small ...; needs the network), " +
        "or download ggml-base.bin from huggingface.co/ggerganov/whisper.cpp and pass its path (--speech-model PATH).";

    /// <summary>Sizes the repository publishes (each also as ".en", English-only, up to medium), smallest first.</summary>
    public static readonly IReadOnlyList<(string Name, string Note)> Known =
    [
        ("whisper-tiny", "39 M parameters, 75 MB; fastest, roughest"),
        ("whisper-base", "74 M, 142 MB; a good default on a CPU"),
        ("whisper-small", "244 M, 466 MB"),
        ("whisper-medium", "769 M, 1.5 GB"),
        ("whisper-large-v3-turbo", "809 M, 1.6 GB; large-v3 quality, faster"),
    ];

    public string Directory { get; } = Path.Combine(Path.GetFullPath(modelsDirectory ?? ModelStore.DefaultDirectory), "whisper");

    /// <summary>Whether <paramref name="name"/> names a Whisper model ("whisper-base", "ggml-base.en") rather than a hub repository.</summary>
    public static bool IsSpeechModelName(string name) =>
        (name.StartsWith(NamePrefix, StringComparison.Ordinal) || name.StartsWith(FilePrefix, StringComparison.Ordinal)) && !name.Contains('/', StringComparison.Ordinal);

    /// <summary>"whisper-base", "ggml-base", "ggml-base.bin" and "base" all name <c>ggml-base.bin</c>.</summary>
    /// <exception cref="ModelException">Not a model name.</exception>
    public static string FileNameOf(string name) =>
        TryFileNameOf(name) ?? throw new ModelException(name, "not a Whisper model name (e.g. whisper-base, whisper-small.en, ggml-large-v3-turbo)");

    private static string? TryFileNameOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var size = name;
        if (size.EndsWith(FileExtension, StringComparison.Ordinal))
            size = size[..^FileExtension.Length];
        foreach (var prefix in new[] { NamePrefix, FilePrefix })
        {
            if (size.StartsWith(prefix, StringComparison.Ordinal))
                size = size[prefix.Length..];
        }
        if (size.Length == 0 || size.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_')))
            return null;
        return FilePrefix + size + FileExtension;
    }

    /// <summary>The pulled models' files, by name.</summary>
    public IReadOnlyList<string> List() =>
        System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.EnumerateFiles(Directory, FilePrefix + "*" + FileExtension).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>
    /// The model file <paramref name="nameOrPath"/> refers to: a path to a ggml file, or the name of a pulled model.
    /// With null: the only pulled model.
    /// </summary>
    /// <exception cref="ModelNotFoundException">None, or several to choose from; the message says how to get one.</exception>
    public string Resolve(string? nameOrPath)
    {
        if (nameOrPath is null)
        {
            var pulled = List();
            return pulled.Count switch
            {
                1 => pulled[0],
                0 => throw new ModelNotFoundException(Directory, "no Whisper model for the speech channel. " + HowToGetOne),
                _ => throw new ModelNotFoundException(Directory,
                    $"several Whisper models are pulled ({string.Join(", ", pulled.Select(SpeechModel.NameOf))}); choose one with --speech-model NAME"),
            };
        }
        if (File.Exists(nameOrPath))
            return Path.GetFullPath(nameOrPath);
        if (TryFileNameOf(nameOrPath) is { } fileName && File.Exists(Path.Combine(Directory, fileName)))
            return Path.Combine(Directory, fileName);
        throw new ModelNotFoundException(nameOrPath, "no pulled Whisper model has this name and no file has this path. " + HowToGetOne);
    }

    /// <summary>Opens the model <paramref name="nameOrPath"/> refers to (see <see cref="Resolve"/>).</summary>
    public SpeechModel Open(string? nameOrPath) => SpeechModel.Open(Resolve(nameOrPath));

    /// <summary>
    /// Downloads the model <paramref name="name"/> from <see cref="Repository"/> (resumable, checksum verified), checks
    /// it is a Whisper model, and returns its path.
    /// </summary>
    /// <exception cref="ModelDownloadException">Offline, unknown name, or a broken or tampered download.</exception>
    public async Task<string> PullAsync(HubClient hub, string name, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hub);
        var fileName = FileNameOf(name);
        var files = await hub.ListFilesAsync(Repository, cancellationToken: cancellationToken).ConfigureAwait(false);
        var file = files.FirstOrDefault(f => f.Path == fileName);
        if (file is null)
        {
            var available = files.Select(f => f.Path).Where(p => p.StartsWith(FilePrefix, StringComparison.Ordinal) && p.EndsWith(FileExtension, StringComparison.Ordinal) && !p.Contains('/', StringComparison.Ordinal))
                .Select(p => NamePrefix + SpeechModel.NameOf(p));
            throw new ModelDownloadException($"{Repository}/{fileName}", $"the repository has no such model; available: {string.Join(", ", available.DefaultIfEmpty("none"))}");
        }
        await hub.DownloadAsync(Repository, [file], Directory, progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false);
        var path = Path.Combine(Directory, fileName);
        GgmlWhisperHeader.Read(path);
        return path;
    }

    /// <summary>Deletes a pulled model; false when there is none of that name.</summary>
    public bool Remove(string name)
    {
        if (!IsSpeechModelName(name))
            return false;
        var path = Path.Combine(Directory, FileNameOf(name));
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        return true;
    }
}
