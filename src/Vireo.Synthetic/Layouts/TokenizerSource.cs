using Vireo.Models.Tokenization;
using Vireo.Synthetic.Tokenizer;

namespace Vireo.Synthetic.Layouts;

/// <summary>Where a model folder's tokenizer files come from: generated from CLIP's vocabulary, or copied from a folder.</summary>
public abstract class TokenizerSource
{
    /// <summary>The tokenizer file names a model folder may hold.</summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt"];

    private protected TokenizerSource()
    {
    }

    /// <summary>Files written by <see cref="ClipTokenizerFiles"/> from <paramref name="vocabulary"/>.</summary>
    public static TokenizerSource FromVocabulary(ClipVocabulary vocabulary, TokenizerFileSet files = TokenizerFileSet.All, TokenizerFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        return new Generated(vocabulary, files, options ?? new TokenizerFileOptions());
    }

    /// <summary>The tokenizer files (any of <see cref="FileNames"/>) found in <paramref name="folder"/>, copied.</summary>
    public static TokenizerSource FromFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"tokenizer folder not found: {folder}");
        if (!FileNames.Any(name => File.Exists(Path.Combine(folder, name))))
            throw new FileNotFoundException($"{folder} holds none of the tokenizer files ({string.Join(", ", FileNames)})");
        return new Copied(folder);
    }

    /// <summary>The vocabulary, when the files are generated (the concept model's default word ids need it).</summary>
    public abstract ClipVocabulary? Vocabulary { get; }

    internal abstract Task<IReadOnlyList<string>> WriteAsync(string folder, CancellationToken cancellationToken);

    private sealed class Generated(ClipVocabulary vocabulary, TokenizerFileSet files, TokenizerFileOptions options) : TokenizerSource
    {
        public override ClipVocabulary? Vocabulary => vocabulary;

        internal override Task<IReadOnlyList<string>> WriteAsync(string folder, CancellationToken cancellationToken) =>
            ClipTokenizerFiles.WriteAsync(vocabulary, folder, files, options, cancellationToken);
    }

    private sealed class Copied(string source) : TokenizerSource
    {
        public override ClipVocabulary? Vocabulary => null;

        internal override async Task<IReadOnlyList<string>> WriteAsync(string folder, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(folder);
            var written = new List<string>();
            foreach (var name in FileNames)
            {
                var from = Path.Combine(source, name);
                if (!File.Exists(from))
                    continue;
                var to = Path.Combine(folder, name);
                await using (var input = File.OpenRead(from))
                await using (var output = File.Create(to))
                    await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                written.Add(to);
            }
            return written;
        }
    }
}
