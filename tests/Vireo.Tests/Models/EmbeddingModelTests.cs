using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Vireo.Media;
using Vireo.Models;
using Vireo.Synthetic.Layouts;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

/// <summary>Loading and running generated models in every supported layout through the real loader.</summary>
public class EmbeddingModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static VideoFrame Solid(byte r, byte g, byte b, int width = 64, int height = 48)
    {
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i += 3)
            (pixels[i], pixels[i + 1], pixels[i + 2]) = (r, g, b);
        return VideoFrame.FromRgb(pixels, width, height);
    }

    private static void AssertUnit(ReadOnlySpan<float> vector) => Assert.Equal(1.0, TensorPrimitives.Norm(vector), 4);

    public static TheoryData<string, ModelVariant> Layouts => new()
    {
        { "hf", ModelVariant.Default },
        { "hf", ModelVariant.Quantized },
        { "hf", ModelVariant.Fp16 },
        { "hf-flat", ModelVariant.Default },
        { "immich", ModelVariant.Default },
    };

    private static async Task<string> FolderAsync(string layout) => layout switch
    {
        "hf" => (await TestModels.TinyHuggingFaceAsync()).Root,
        "hf-flat" => (await TestModels.TinyHuggingFaceFlatAsync()).Root,
        _ => (await TestModels.TinyImmichAsync()).Root,
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Every_layout_loads_and_embeds_text_and_images(string layout, ModelVariant variant)
    {
        using var model = EmbeddingModel.Load(await FolderAsync(layout), new EncoderOptions { Variant = variant, IntraOpThreads = 1 });

        Assert.Equal(32, model.Dimension);
        Assert.Equal(layout == "immich" ? ModelLayout.Immich : ModelLayout.HuggingFace, model.Files.Layout);
        var text = model.Text.Encode(["a red car", "a dog", ""], Ct);
        Assert.Equal((3, 32), (text.Count, text.Dimension));
        for (var i = 0; i < text.Count; i++)
            AssertUnit(text[i]);
        Assert.NotEqual(text.Row(0), text.Row(1));

        using var red = Solid(255, 0, 0);
        using var blue = Solid(0, 0, 255, 30, 90);
        var images = model.Image.Encode([red, blue], Ct);
        Assert.Equal((2, 32), (images.Count, images.Dimension));
        AssertUnit(images[0]);
        AssertUnit(images[1]);
        Assert.NotEqual(images.Row(0), images.Row(1));
    }

    [Theory]
    [InlineData("hf")]
    [InlineData("immich")]
    public async Task Batches_give_the_same_embeddings_as_one_at_a_time(string layout)
    {
        using var model = EmbeddingModel.Load(await FolderAsync(layout), new EncoderOptions { IntraOpThreads = 1, BatchSize = 3 });
        string[] texts = ["red", "a long sentence about a green striped shirt", "x", "blue sky", "grass"];

        var batched = model.Text.Encode(texts, Ct);
        for (var i = 0; i < texts.Length; i++)
            Assert.True(TensorPrimitives.CosineSimilarity(batched[i], model.Text.Encode(texts[i])) > 0.9999f, $"text {i} differs");

        var frames = Enumerable.Range(0, 5).Select(i => Solid((byte)(i * 50), 100, (byte)(250 - i * 50))).ToList();
        var images = model.Image.Encode(frames, Ct);
        for (var i = 0; i < frames.Count; i++)
            Assert.True(TensorPrimitives.CosineSimilarity(images[i], model.Image.Encode([frames[i]], Ct)[0]) > 0.9999f, $"image {i} differs");
        Assert.Equal(layout == "immich" ? 1 : 3, model.Image.BatchSize);
    }

    [Fact]
    public async Task Quantized_and_fp16_variants_stay_close_to_full_precision()
    {
        var folder = await FolderAsync("hf");
        using var full = EmbeddingModel.Load(folder, new EncoderOptions { IntraOpThreads = 1 });
        using var half = EmbeddingModel.Load(folder, new EncoderOptions { IntraOpThreads = 1, Variant = ModelVariant.Fp16 });
        using var quantized = EmbeddingModel.Load(folder, new EncoderOptions { IntraOpThreads = 1, Variant = ModelVariant.Quantized });
        using var frame = Solid(200, 40, 40);

        var reference = full.Text.Encode("a red car");
        Assert.True(TensorPrimitives.CosineSimilarity(reference, half.Text.Encode("a red car")) > 0.99f);
        Assert.True(TensorPrimitives.CosineSimilarity(reference, quantized.Text.Encode("a red car")) > 0.9f);
        var image = full.Image.Encode([frame], Ct)[0].ToArray();
        Assert.True(TensorPrimitives.CosineSimilarity(image, half.Image.Encode([frame], Ct)[0]) > 0.99f);
        Assert.NotEqual(full.Identity.Fingerprint, half.Identity.Fingerprint);
    }

    [Fact]
    public async Task A_combined_model_alone_serves_both_towers()
    {
        var source = await TestModels.TinyHuggingFaceAsync();
        var folder = TestVideos.NewPath("combined-only");
        Directory.CreateDirectory(Path.Combine(folder, "onnx"));
        foreach (var file in Directory.GetFiles(source.Root))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        File.Copy(Path.Combine(source.Root, "onnx", "model.onnx"), Path.Combine(folder, "onnx", "model.onnx"));
        using var separate = EmbeddingModel.Load(source.Root, new EncoderOptions { IntraOpThreads = 1 });
        using var combined = EmbeddingModel.Load(folder, new EncoderOptions { IntraOpThreads = 1 });
        using var frame = Solid(10, 200, 30);

        Assert.Null(combined.Files.TextModel);
        Assert.True(TensorPrimitives.CosineSimilarity(separate.Text.Encode("green field"), combined.Text.Encode("green field")) > 0.9999f);
        Assert.True(TensorPrimitives.CosineSimilarity(separate.Image.Encode([frame], Ct)[0], combined.Image.Encode([frame], Ct)[0]) > 0.9999f);
    }

    [Theory]
    [InlineData(BrokenModelKind.TruncatedModel, "ONNX Runtime cannot load")]
    [InlineData(BrokenModelKind.GitLfsPointer, "ONNX Runtime cannot load")]
    [InlineData(BrokenModelKind.UnrecognizedLayout, "no supported model layout")]
    [InlineData(BrokenModelKind.MismatchedEmbeddingDims, "must match")]
    [InlineData(BrokenModelKind.MissingTokenizer, "no tokenizer files")]
    public async Task Broken_folders_get_errors_naming_the_culprit(BrokenModelKind kind, string expected)
    {
        var broken = await BrokenModelFolders.WriteAsync(kind, TestVideos.NewPath(kind.ToString()), ClipTestVocabulary.TokenizerSource(), Ct);

        var error = Assert.ThrowsAny<ModelException>(() => EmbeddingModel.Load(broken.Root, new EncoderOptions { IntraOpThreads = 1 }));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(broken.Culprit, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Input_names_are_read_from_the_model_not_assumed()
    {
        var broken = await BrokenModelFolders.WriteAsync(BrokenModelKind.WrongInputName, TestVideos.NewPath("images-input"), ClipTestVocabulary.TokenizerSource(), Ct);
        using var model = EmbeddingModel.Load(broken.Root, new EncoderOptions { IntraOpThreads = 1 });
        using var frame = Solid(1, 2, 3);

        AssertUnit(model.Image.Encode([frame], Ct)[0]);
    }

    [Fact]
    public async Task The_text_encoder_is_a_microsoft_extensions_ai_embedding_generator()
    {
        using var model = EmbeddingModel.Load((await TestModels.TinyHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 1 });
        IEmbeddingGenerator<string, Embedding<float>> generator = new TextEmbeddingGenerator(model);

        var embeddings = await generator.GenerateAsync(["red", "blue"], cancellationToken: Ct);

        Assert.Equal(2, embeddings.Count);
        Assert.Equal(model.Text.Encode("blue"), embeddings[1].Vector.ToArray());
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.Equal(32, metadata!.DefaultModelDimensions);
        await Assert.ThrowsAsync<NotSupportedException>(() => generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 64 }, Ct));
    }
}
