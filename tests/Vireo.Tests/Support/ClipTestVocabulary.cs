using Vireo.Models.Tokenization;
using Vireo.Synthetic.Layouts;
using Vireo.Synthetic.Tokenizer;

namespace Vireo.Tests.Support;

/// <summary>
/// OpenAI CLIP's vocabulary and tokenizer, built from ../shared's merges file once for all tests (which skip when
/// ../shared is absent), and the Hugging Face tokenizer files written from it.
/// </summary>
public static class ClipTestVocabulary
{
    private static readonly Lazy<ClipVocabulary> LoadedVocabulary = new(() => ClipVocabulary.FromOpenAiMerges(MergesPath));
    private static readonly Lazy<ClipTokenizer> LoadedTokenizer = new(() => ClipTokenizer.FromVocabulary(Vocabulary));

    public static string MergesPath => SharedData.Require("data/clip/bpe_simple_vocab_16e6.txt.gz");

    public static ClipVocabulary Vocabulary
    {
        get
        {
            _ = MergesPath;
            return LoadedVocabulary.Value;
        }
    }

    /// <summary>The tokenizer as OpenAI's code builds it (context 77, padded with 0).</summary>
    public static ClipTokenizer Tokenizer
    {
        get
        {
            _ = MergesPath;
            return LoadedTokenizer.Value;
        }
    }

    /// <summary>Model folders' tokenizer files, generated from the vocabulary.</summary>
    public static TokenizerSource TokenizerSource() => Vireo.Synthetic.Layouts.TokenizerSource.FromVocabulary(Vocabulary);

    /// <summary>The model input of <paramref name="sentence"/>: [SOT, ids…, EOT] padded with EOT to <paramref name="length"/>.</summary>
    public static long[] Encode(string sentence, int length = 77)
    {
        var ids = new long[length];
        Tokenizer.With(length, Vocabulary.EndOfTextId).EncodeContext<long>(sentence, ids);
        return ids;
    }

    /// <summary>vocab.json and merges.txt (with the config files) as Hugging Face saves them; returns the two paths.</summary>
    public static async Task<(string Vocab, string Merges)> WriteVocabAndMergesAsync(string folder)
    {
        await ClipTokenizerFiles.WriteAsync(Vocabulary, folder, TokenizerFileSet.VocabAndMerges, cancellationToken: TestContext.Current.CancellationToken);
        return (Path.Combine(folder, "vocab.json"), Path.Combine(folder, "merges.txt"));
    }

    /// <summary>tokenizer.json (with the config files), its merges as "a b" strings or as ["a", "b"] pairs; returns its path.</summary>
    public static async Task<string> WriteTokenizerJsonAsync(string folder, bool mergesAsPairs)
    {
        await ClipTokenizerFiles.WriteAsync(Vocabulary, folder, TokenizerFileSet.TokenizerJson, new TokenizerFileOptions { MergesAsPairs = mergesAsPairs },
            TestContext.Current.CancellationToken);
        return Path.Combine(folder, "tokenizer.json");
    }
}
