using System.Globalization;
using Vireo.Onnx;
using Vireo.Synthetic.Clip;
using Vireo.Synthetic.Concepts;
using Vireo.Tests.Onnx;
using Vireo.Tests.Support;

namespace Vireo.Tests.Synthetic;

public class ConceptClipTests
{
    private const int Size = 64;

    private static readonly (byte, byte, byte) White = (255, 255, 255);
    private static readonly (byte, byte, byte) Black = (0, 0, 0);

    public static TheoryData<string, string> Frames => new()
    {
        { "red", "red" }, { "green", "green" }, { "blue", "blue" }, { "yellow", "yellow" }, { "orange", "orange" },
        { "purple", "purple" }, { "white", "white" }, { "black", "black" }, { "gray", "gray" },
        { "vertical stripes", "striped" }, { "horizontal stripes", "striped" }, { "red and white stripes", "striped" },
        { "checkerboard", "checkered" },
    };

    private static byte[] Frame(string name) => name switch
    {
        "red" => SyntheticImages.Solid(Size, 255, 0, 0),
        "green" => SyntheticImages.Solid(Size, 0, 255, 0),
        "blue" => SyntheticImages.Solid(Size, 0, 0, 255),
        "yellow" => SyntheticImages.Solid(Size, 255, 255, 0),
        "orange" => SyntheticImages.Solid(Size, 255, 128, 0),
        "purple" => SyntheticImages.Solid(Size, 128, 0, 128),
        "white" => SyntheticImages.Solid(Size, 255, 255, 255),
        "black" => SyntheticImages.Solid(Size, 0, 0, 0),
        "gray" => SyntheticImages.Solid(Size, 128, 128, 128),
        "vertical stripes" => SyntheticImages.Stripes(Size, 4, vertical: true, White, Black),
        "horizontal stripes" => SyntheticImages.Stripes(Size, 8, vertical: false, White, Black),
        "red and white stripes" => SyntheticImages.Stripes(Size, 4, vertical: true, (255, 0, 0), White),
        "checkerboard" => SyntheticImages.Checkerboard(Size, 4, White, Black),
        _ => throw new ArgumentException(name),
    };

    private static ConceptClip Create() => ConceptClip.FromVocabulary(ClipTestVocabulary.Vocabulary);

    private static float[] EncodeImage(ConceptClip clip, byte[] rgb, WeightPrecision precision = WeightPrecision.Float32) =>
        OrtTestRunner.RunSingle(clip.VisionModel(EncoderSignature.HuggingFaceVision(clip.EmbedDim), precision),
            ("pixel_values", new TestTensor(SyntheticImages.Normalize(rgb, Size), [1, 3, Size, Size]))).Values;

    private static float[][] EncodeTexts(ConceptClip clip, string[] sentences, WeightPrecision precision = WeightPrecision.Float32)
    {
        var ids = sentences.SelectMany(s => ClipTestVocabulary.Encode(s)).Select(v => (float)v).ToArray();
        var output = OrtTestRunner.RunSingle(clip.TextModel(EncoderSignature.HuggingFaceText(clip.EmbedDim), precision),
            ("input_ids", new TestTensor(ids, [sentences.Length, 77])));
        return [.. Enumerable.Range(0, sentences.Length).Select(i => output.Values.AsSpan(i * clip.EmbedDim, clip.EmbedDim).ToArray())];
    }

    [Theory]
    [MemberData(nameof(Frames))]
    public void Each_frame_is_closest_to_its_concept_word_by_a_margin(string frame, string concept)
    {
        var clip = Create();
        var words = clip.Concepts.Select(c => c.Words[0]).ToArray();
        var image = EncodeImage(clip, Frame(frame));
        var texts = EncodeTexts(clip, words);

        var similarities = texts.Select(t => VectorMath.Cosine(t, image)).ToList();
        var expected = clip.IndexOf(concept);
        var runnerUp = similarities.Where((_, i) => i != expected).Max();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{frame}: cos({concept}) = {similarities[expected]:0.000}, best other = {runnerUp:0.000}"));

        Assert.True(similarities[expected] > 0.9, $"cos = {similarities[expected]}");
        Assert.True(similarities[expected] - runnerUp > 0.8, $"margin = {similarities[expected] - runnerUp}");
    }

    [Fact]
    public void Sentences_land_on_the_concepts_they_mention()
    {
        var clip = Create();
        var texts = EncodeTexts(clip, ["red", "a red car", "a person in a grey car", "red and white stripes", "a car"]);
        var red = clip.Direction(clip.IndexOf("red"));

        Assert.Equal(1.0, VectorMath.Cosine(texts[0], red), 5);
        Assert.Equal(1.0, VectorMath.Cosine(texts[1], red), 5);
        Assert.Equal(1.0, VectorMath.Cosine(texts[2], clip.Direction(clip.IndexOf("gray"))), 5);
        Assert.Equal(1 / Math.Sqrt(3), VectorMath.Cosine(texts[3], clip.Direction(clip.IndexOf("striped"))), 5);
        Assert.Equal(0.0, VectorMath.Norm(texts[4])); // no concept word: the zero vector
    }

    [Fact]
    public void Concept_directions_are_orthonormal()
    {
        var clip = Create();
        for (var a = 0; a < clip.Concepts.Count; a++)
        {
            for (var b = 0; b < clip.Concepts.Count; b++)
            {
                var dot = 0.0;
                for (var i = 0; i < clip.EmbedDim; i++)
                    dot += clip.Direction(a)[i] * clip.Direction(b)[i];
                Assert.Equal(a == b ? 1 : 0, dot, 5);
            }
        }
    }

    [Theory]
    [InlineData(WeightPrecision.Float16)]
    [InlineData(WeightPrecision.Int8)]
    public void Reduced_precision_variants_keep_the_meaning(WeightPrecision precision)
    {
        var clip = Create();
        var texts = EncodeTexts(clip, ["blue", "yellow", "striped"], precision);
        var blue = EncodeImage(clip, Frame("blue"), precision);
        var stripes = EncodeImage(clip, Frame("vertical stripes"), precision);

        Assert.True(VectorMath.Cosine(texts[0], blue) > 0.9);
        Assert.True(VectorMath.Cosine(texts[1], blue) < 0.1);
        Assert.True(VectorMath.Cosine(texts[2], stripes) > 0.9);
    }

    [Fact]
    public void A_caller_supplied_token_map_replaces_the_vocabulary_lookup()
    {
        var vocabulary = ClipTestVocabulary.Vocabulary;
        var car = vocabulary.WordId("car")!.Value;
        var clip = new ConceptClip(new ConceptModelOptions { EmbedDim = 16 }, new Dictionary<int, int> { [car] = 0 });
        var text = EncodeTexts(clip, ["a red car"])[0];

        Assert.Equal(1.0, VectorMath.Cosine(text, clip.Direction(0)), 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConceptClip(new ConceptModelOptions(), new Dictionary<int, int> { [car] = 99 }));
    }
}
