using System.Numerics;
using Microsoft.ML.Tokenizers;

namespace Vireo.Models.Tokenization;

/// <summary>
/// The CLIP text tokenizer, exact to OpenAI's: text cleaning (<see cref="ClipTextCleaner"/>), CLIP's
/// pre-tokenization, then byte-level BPE with the end-of-word marker "&lt;/w&gt;" (run by
/// Microsoft.ML.Tokenizers, which keeps a bounded cache of encoded words). Model inputs are
/// [start] + ids + [end], truncated to the context with the end token kept last, padded with
/// <see cref="PadToken"/>. Immutable and safe to share between threads.
/// </summary>
public sealed class ClipTokenizer
{
    /// <summary>CLIP's context: 77 tokens including the start and end tokens.</summary>
    public const int DefaultContextLength = 77;

    private readonly BpeTokenizer _bpe;

    private ClipTokenizer(BpeTokenizer bpe, int start, int end, int vocabularySize, string source, int contextLength, int pad)
    {
        _bpe = bpe;
        StartToken = start;
        EndToken = end;
        VocabularySize = vocabularySize;
        Source = source;
        ContextLength = contextLength;
        PadToken = pad;
    }

    /// <summary>The id of "&lt;|startoftext|&gt;" (49406 in CLIP).</summary>
    public int StartToken { get; }

    /// <summary>The id of "&lt;|endoftext|&gt;" (49407 in CLIP).</summary>
    public int EndToken { get; }

    /// <summary>The id written after the end token: 0 in OpenAI's models, the end token in some exports.</summary>
    public int PadToken { get; }

    /// <summary>Tokens per text in model inputs, start and end included.</summary>
    public int ContextLength { get; }

    public int VocabularySize { get; }

    /// <summary>The file(s) the vocabulary was read from.</summary>
    public string Source { get; }

    /// <summary>From OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c>.</summary>
    public static ClipTokenizer FromOpenAiMerges(string gzPath) => FromVocabulary(ClipVocabulary.FromOpenAiMerges(gzPath));

    /// <summary>From Hugging Face's <c>vocab.json</c> and <c>merges.txt</c>.</summary>
    public static ClipTokenizer FromHuggingFace(string vocabJsonPath, string mergesPath) =>
        FromVocabulary(ClipVocabulary.FromHuggingFace(vocabJsonPath, mergesPath));

    /// <summary>From a Hugging Face <c>tokenizer.json</c> with a BPE model.</summary>
    public static ClipTokenizer FromTokenizerJson(string path) => FromVocabulary(ClipVocabulary.FromTokenizerJson(path));

    /// <summary>From a vocabulary already read (see <see cref="ClipVocabulary"/>'s readers); pads with 0 like OpenAI's code.</summary>
    public static ClipTokenizer FromVocabulary(ClipVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var bpe = BpeTokenizer.Create(new BpeOptions(vocabulary.Ids)
        {
            Merges = vocabulary.Merges.Select(m => m.Left + " " + m.Right),
            ByteLevel = true,
            EndOfWordSuffix = ClipVocabulary.EndOfWord,
        });
        return new ClipTokenizer(bpe, vocabulary.StartOfTextId, vocabulary.EndOfTextId, vocabulary.Count, vocabulary.Source, DefaultContextLength, 0);
    }

    /// <summary>
    /// From a model folder (or its <c>textual</c> subfolder, immich's layout): <c>tokenizer.json</c>, else
    /// <c>vocab.json</c> + <c>merges.txt</c>, else <c>bpe_simple_vocab_16e6.txt.gz</c>; with the pad token and
    /// context length of its <c>tokenizer_config.json</c> when there is one.
    /// </summary>
    public static ClipTokenizer FromFolder(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"tokenizer folder not found: {directory}");
        var textual = Path.Combine(directory, "textual");
        if (!HasVocabulary(directory) && HasVocabulary(textual))
            directory = textual;
        var tokenizerJson = Path.Combine(directory, "tokenizer.json");
        var vocabJson = Path.Combine(directory, "vocab.json");
        var mergesTxt = Path.Combine(directory, "merges.txt");
        var openAi = Path.Combine(directory, "bpe_simple_vocab_16e6.txt.gz");
        var tokenizer = File.Exists(tokenizerJson) ? FromTokenizerJson(tokenizerJson)
            : File.Exists(vocabJson) && File.Exists(mergesTxt) ? FromHuggingFace(vocabJson, mergesTxt)
            : File.Exists(openAi) ? FromOpenAiMerges(openAi)
            : throw new FileNotFoundException(
                $"no CLIP tokenizer in {directory}: expected tokenizer.json, vocab.json + merges.txt, or bpe_simple_vocab_16e6.txt.gz", directory);

        var config = Path.Combine(directory, "tokenizer_config.json");
        if (!File.Exists(config))
            return tokenizer;
        var settings = TokenizerConfig.Read(config);
        int? pad = null;
        if (settings.PadToken is { } padText)
        {
            pad = tokenizer._bpe.Vocabulary.TryGetValue(padText, out var id) ? id
                : padText == ClipVocabulary.EndOfText ? tokenizer.EndToken
                : padText == ClipVocabulary.StartOfText ? tokenizer.StartToken
                : throw new TokenizerFormatException(config, null, $"pad_token \"{padText}\" is not in the vocabulary");
        }
        return tokenizer.With(settings.ModelMaxLength, pad);
    }

    private static bool HasVocabulary(string directory) =>
        File.Exists(Path.Combine(directory, "tokenizer.json")) || File.Exists(Path.Combine(directory, "vocab.json"))
        || File.Exists(Path.Combine(directory, "bpe_simple_vocab_16e6.txt.gz"));

    /// <summary>The same tokenizer with another context length and/or pad token (the vocabulary is shared).</summary>
    public ClipTokenizer With(int? contextLength = null, int? padToken = null)
    {
        var context = contextLength ?? ContextLength;
        ArgumentOutOfRangeException.ThrowIfLessThan(context, 2, nameof(contextLength));
        if (padToken is < 0)
            throw new ArgumentOutOfRangeException(nameof(padToken), padToken, "token ids are non-negative");
        return new ClipTokenizer(_bpe, StartToken, EndToken, VocabularySize, Source, context, padToken ?? PadToken);
    }

    /// <summary>The BPE ids of <paramref name="text"/>, without start and end tokens and without truncation.</summary>
    public IReadOnlyList<int> EncodeBpe(string text) => EncodeBpe(text, int.MaxValue);

    // Stops after the word that reaches `limit` ids: words are encoded independently, so the first ids are exact.
    private List<int> EncodeBpe(string text, int limit)
    {
        var cleaned = ClipTextCleaner.Clean(text);
        var ids = new List<int>(cleaned.Length / 3 + 4);
        var pieces = new List<(int Start, int Length)>(cleaned.Length / 4 + 4);
        ClipPreTokenizer.Split(cleaned, pieces);
        foreach (var (start, length) in pieces)
        {
            if (ids.Count >= limit)
                break;
            var piece = cleaned.AsSpan(start, length);
            if (piece.SequenceEqual(ClipVocabulary.StartOfText))
                ids.Add(StartToken);
            else if (piece.SequenceEqual(ClipVocabulary.EndOfText))
                ids.Add(EndToken);
            else
                ids.AddRange(_bpe.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false));
        }
        return ids;
    }

    /// <summary>
    /// Writes the model input of <paramref name="text"/> into <paramref name="ids"/>, whose length is the context:
    /// start, BPE ids (as many as fit), end, then <see cref="PadToken"/>. When <paramref name="attentionMask"/> is
    /// given (same length) it gets 1 for each written token and 0 for padding. Returns the number of tokens
    /// written before the padding; the end token is at that count minus one.
    /// </summary>
    public int EncodeContext<T>(string text, Span<T> ids, Span<T> attentionMask = default) where T : IBinaryInteger<T>
    {
        if (ids.Length < 2)
            throw new ArgumentException("the context must hold at least the start and end tokens", nameof(ids));
        if (!attentionMask.IsEmpty && attentionMask.Length != ids.Length)
            throw new ArgumentException($"the attention mask has {attentionMask.Length} slots for {ids.Length} ids", nameof(attentionMask));

        return WriteContext(EncodeBpe(text, ids.Length - 2), ids, attentionMask);
    }

    /// <summary>The model input of <paramref name="text"/>, <see cref="ContextLength"/> ids long.</summary>
    public int[] EncodeContext(string text)
    {
        var ids = new int[ContextLength];
        EncodeContext<int>(text, ids);
        return ids;
    }

    /// <summary>
    /// Tokenizes texts into a [texts, sequence] batch: the sequence is <see cref="ContextLength"/>, or with
    /// <paramref name="padToLongest"/> the longest text's token count (capped at the context).
    /// </summary>
    public TokenizedBatch EncodeBatch(IReadOnlyList<string> texts, bool padToLongest = false)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var encoded = new IReadOnlyList<int>[texts.Count];
        var sequence = padToLongest ? 2 : ContextLength;
        for (var i = 0; i < texts.Count; i++)
        {
            encoded[i] = EncodeBpe(texts[i], ContextLength - 2);
            if (padToLongest)
                sequence = Math.Max(sequence, Math.Min(encoded[i].Count + 2, ContextLength));
        }

        var batch = new TokenizedBatch(texts.Count, sequence);
        for (var i = 0; i < texts.Count; i++)
        {
            var rowIds = batch.Ids.AsSpan(i * sequence, sequence);
            batch.Lengths[i] = WriteContext<int>(encoded[i], rowIds, batch.AttentionMask.AsSpan(i * sequence, sequence));
        }
        return batch;
    }

    private int WriteContext<T>(IReadOnlyList<int> bpe, Span<T> ids, Span<T> attentionMask) where T : IBinaryInteger<T>
    {
        var count = Math.Min(bpe.Count, ids.Length - 2);
        ids[0] = T.CreateTruncating(StartToken);
        for (var i = 0; i < count; i++)
            ids[i + 1] = T.CreateTruncating(bpe[i]);
        ids[count + 1] = T.CreateTruncating(EndToken);
        ids[(count + 2)..].Fill(T.CreateTruncating(PadToken));
        if (!attentionMask.IsEmpty)
        {
            attentionMask[..(count + 2)].Fill(T.One);
            attentionMask[(count + 2)..].Fill(T.Zero);
        }
        return count + 2;
    }
}
