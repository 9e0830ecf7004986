using System.IO.Compression;
using System.Text;

namespace Vireo.Synthetic.Tokenizer;

/// <summary>
/// OpenAI CLIP's BPE vocabulary, built from its merges file (bpe_simple_vocab_16e6.txt.gz) the way CLIP
/// builds it: the 256 byte-level characters (printable bytes first, in byte order, then the others mapped
/// to U+0100 onwards), the same 256 with the end-of-word marker "&lt;/w&gt;", one token per merge (the first
/// 48,894 merges), then &lt;|startoftext|&gt; (49406) and &lt;|endoftext|&gt; (49407): 49,408 tokens.
/// </summary>
public sealed class ClipVocabulary
{
    public const int MergeCount = 49152 - 256 - 2;

    public const string StartOfText = "<|startoftext|>";

    public const string EndOfText = "<|endoftext|>";

    public const string EndOfWord = "</w>";

    private readonly Dictionary<string, int> _ids;

    private ClipVocabulary(IReadOnlyList<(string Left, string Right)> merges)
    {
        Merges = merges;
        var tokens = new List<string>(2 * 256 + merges.Count + 2);
        var bytes = ByteCharacters();
        tokens.AddRange(bytes);
        tokens.AddRange(bytes.Select(b => b + EndOfWord));
        tokens.AddRange(merges.Select(m => m.Left + m.Right));
        tokens.Add(StartOfText);
        tokens.Add(EndOfText);
        Tokens = tokens;
        _ids = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
            _ids.TryAdd(tokens[i], i);
    }

    /// <summary>Token strings by id.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The merges in rank order.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    public int Count => Tokens.Count;

    public int StartOfTextId => _ids[StartOfText];

    public int EndOfTextId => _ids[EndOfText];

    public IReadOnlyDictionary<string, int> Ids => _ids;

    /// <summary>
    /// The id of <paramref name="word"/> when CLIP's tokenizer encodes it as a single token (the token
    /// "word&lt;/w&gt;" exists: the merges then always reach it), else null. The word is lower-cased.
    /// </summary>
    public int? WordId(string word)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(word);
        return _ids.TryGetValue(word.Trim().ToLowerInvariant() + EndOfWord, out var id) ? id : null;
    }

    /// <summary>Reads a merges file, gzip-compressed (as CLIP ships it) or plain text; its first line is a header.</summary>
    public static async Task<ClipVocabulary> LoadAsync(string mergesPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(mergesPath);
        if (!File.Exists(mergesPath))
            throw new FileNotFoundException($"CLIP merges file not found: {mergesPath}", mergesPath);
        await using var file = File.OpenRead(mergesPath);
        var gzip = file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
        file.Position = 0;
        await using var content = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        using var reader = new StreamReader(content, Encoding.UTF8);
        var merges = new List<(string, string)>(MergeCount);
        var lineNumber = 1;
        _ = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false); // header ("#version: 0.2")
        while (merges.Count < MergeCount && await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidDataException($"{mergesPath}, line {lineNumber}: expected a merge \"left right\", got \"{line}\"");
            merges.Add((parts[0], parts[1]));
        }
        if (merges.Count < MergeCount)
            throw new InvalidDataException($"{mergesPath}: {merges.Count} merges, CLIP's vocabulary needs {MergeCount}");
        return new ClipVocabulary(merges);
    }

    /// <summary>GPT-2's reversible byte → character map, in CLIP's vocabulary order.</summary>
    internal static IReadOnlyList<string> ByteCharacters()
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1)
            .Concat(Enumerable.Range('¡', '¬' - '¡' + 1))
            .Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToList();
        var characters = printable.Select(b => ((char)b).ToString()).ToList();
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            if (!printable.Contains(b))
                characters.Add(((char)next++).ToString());
        }
        return characters;
    }
}
