using Vireo.Synthetic.Layouts;
using Vireo.Synthetic.Tokenizer;
using Vireo.Tests.Support;

namespace Vireo.Tests.Synthetic;

/// <summary>CLIP's vocabulary built from ../shared's merges file (loaded once), and single-token sentence encoding for tests.</summary>
public static class ClipTestVocabulary
{
    private static readonly Lazy<Task<ClipVocabulary>> Loaded = new(() => ClipVocabulary.LoadAsync(SharedData.Require("data/clip/bpe_simple_vocab_16e6.txt.gz")));

    /// <summary>The vocabulary; skips the test when ../shared is absent.</summary>
    public static async Task<ClipVocabulary> GetAsync()
    {
        SharedData.Require("data/clip/bpe_simple_vocab_16e6.txt.gz");
        return await Loaded.Value;
    }

    public static async Task<TokenizerSource> TokenizerAsync() => TokenizerSource.FromVocabulary(await GetAsync());

    /// <summary>
    /// [SOT, words…, EOT] padded with EOT to <paramref name="length"/>, for sentences whose words are all single CLIP
    /// tokens (the real tokenizer is another component; this is enough for test sentences).
    /// </summary>
    public static long[] Encode(ClipVocabulary vocabulary, string sentence, int length = 77)
    {
        var ids = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => (long)(vocabulary.WordId(w) ?? throw new ArgumentException($"'{w}' is not a single CLIP token"))).ToList();
        var row = new long[length];
        Array.Fill(row, vocabulary.EndOfTextId);
        row[0] = vocabulary.StartOfTextId;
        ids.CopyTo(row, 1);
        return row;
    }
}
