namespace Vireo.Models.Tokenization;

/// <summary>
/// A CLIP byte-level BPE vocabulary: its tokens and ids, its merges (best first) and the ids of the start and
/// end tokens. Read from any of the three layouts CLIP tokenizers ship in (<see cref="FromOpenAiMerges"/>,
/// <see cref="FromHuggingFace"/>, <see cref="FromTokenizerJson"/>) and checked: every merge's parts and
/// result and every byte-level symbol are tokens. OpenAI's file gives CLIP's 49,408 tokens: the 256 byte-level
/// symbols, the same with the end-of-word marker, one token per merge, then <see cref="StartOfText"/> (49406)
/// and <see cref="EndOfText"/> (49407). Immutable.
/// </summary>
public sealed partial class ClipVocabulary
{
    /// <summary>The marker CLIP's BPE appends to the last symbol of a word.</summary>
    public const string EndOfWord = "</w>";

    /// <summary>The token that starts every model input.</summary>
    public const string StartOfText = "<|startoftext|>";

    /// <summary>The token that ends every model input.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>The merges CLIP takes from OpenAI's file: 49152 minus the 256 bytes minus the two special tokens.</summary>
    public const int OpenAiMergeCount = 49152 - 256 - 2;

    private readonly Dictionary<string, int> _ids;

    private ClipVocabulary(Dictionary<string, int> ids, List<(string Left, string Right)> merges, int startOfTextId, int endOfTextId, string source)
    {
        _ids = ids;
        Merges = merges;
        StartOfTextId = startOfTextId;
        EndOfTextId = endOfTextId;
        Source = source;
        Tokens = new TokensById(ids);
    }

    /// <summary>Token → id, as the vocabulary's file gives them.</summary>
    public IReadOnlyDictionary<string, int> Ids => _ids;

    /// <summary>
    /// Tokens by id (<see cref="Count"/> of them). An id no token has (files may leave gaps) holds null; when
    /// several tokens share an id, the first in the file.
    /// </summary>
    public IReadOnlyList<string?> Tokens { get; }

    /// <summary>One more than the largest token id: the size of a model's token embedding table.</summary>
    public int Count => Tokens.Count;

    /// <summary>The merges in rank order (best first).</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>The id of <see cref="StartOfText"/> (49406 in CLIP).</summary>
    public int StartOfTextId { get; }

    /// <summary>The id of <see cref="EndOfText"/> (49407 in CLIP).</summary>
    public int EndOfTextId { get; }

    /// <summary>The file(s) the vocabulary came from.</summary>
    public string Source { get; }

    /// <summary>
    /// The id of <paramref name="word"/> when CLIP's tokenizer encodes it as a single token (the token
    /// "word&lt;/w&gt;" exists: the merges then always reach it), else null. The word is trimmed and lower-cased.
    /// </summary>
    public int? WordId(string word)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(word);
        return _ids.TryGetValue(word.Trim().ToLowerInvariant() + EndOfWord, out var id) ? id : null;
    }

    // A map rather than an array: a file may give a huge id, which must not allocate a huge table.
    private sealed class TokensById : IReadOnlyList<string?>
    {
        private readonly Dictionary<int, string> _tokens;

        public TokensById(Dictionary<string, int> ids)
        {
            _tokens = new Dictionary<int, string>(ids.Count);
            foreach (var (token, id) in ids)
                _tokens.TryAdd(id, token);
            Count = ids.Count == 0 ? 0 : _tokens.Keys.Max() + 1;
        }

        public int Count { get; }

        public string? this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
                return _tokens.GetValueOrDefault(index);
            }
        }

        public IEnumerator<string?> GetEnumerator()
        {
            for (var id = 0; id < Count; id++)
                yield return _tokens.GetValueOrDefault(id);
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
