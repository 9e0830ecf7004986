using System.Numerics.Tensors;
using Vireo.Media;
using Vireo.Models;
using Vireo.Onnx;
using Vireo.Synthetic.Onnx;
using Vireo.Tests.Onnx;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

/// <summary><see cref="ModelQuantizer"/> and <see cref="DynamicQuantizer"/>: int8 variants of float32 folders, their graphs, their agreement, and their failures.</summary>
public class ModelQuantizerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static VideoFrame Gradient(int seed)
    {
        const int width = 64, height = 48;
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width + x) * 3;
                (pixels[i], pixels[i + 1], pixels[i + 2]) = ((byte)(x * 4 + seed * 40), (byte)(y * 5), (byte)((x + y + seed * 17) * 2));
            }
        }
        return VideoFrame.FromRgb(pixels, width, height);
    }

    [Theory]
    [InlineData("hf")]
    [InlineData("immich")]
    public async Task A_float32_folder_gets_quantized_files_that_load_and_agree(string layout)
    {
        var source = layout == "hf" ? await TestModels.TinyHuggingFaceAsync() : await TestModels.TinyImmichAsync();
        var folder = ModelCopies.WithoutVariants(source.Root, "quantize-" + layout);

        var written = await ModelQuantizer.QuantizeAsync(folder, cancellationToken: Ct);

        Assert.Equal(layout == "hf" ? 3 : 2, written.Count); // text, vision (and the combined model)
        Assert.All(written, f => Assert.True(File.Exists(f.Target) && f.Target.EndsWith("_quantized.onnx", StringComparison.Ordinal), f.Target));
        Assert.Empty(Directory.EnumerateFiles(folder, "*.staging*", SearchOption.AllDirectories));
        using var full = EmbeddingModel.Load(folder, new EncoderOptions { IntraOpThreads = 1 });
        using var int8 = EmbeddingModel.Load(folder, new EncoderOptions { IntraOpThreads = 1, Variant = ModelVariant.Quantized });
        Assert.Equal(ModelVariant.Quantized, int8.Files.Variant);
        Assert.NotEqual(full.Identity.Fingerprint, int8.Identity.Fingerprint);
        foreach (var text in new[] { "a red car", "a dog on the beach", "" })
            Assert.True(TensorPrimitives.CosineSimilarity(full.Text.Encode(text), int8.Text.Encode(text)) > 0.99f, text);
        for (var seed = 0; seed < 3; seed++)
        {
            using var frame = Gradient(seed);
            Assert.True(TensorPrimitives.CosineSimilarity(full.Image.Encode([frame], Ct)[0], int8.Image.Encode([frame], Ct)[0]) > 0.99f, $"image {seed}");
        }
    }

    [Fact]
    public async Task Every_constant_weight_product_becomes_an_integer_product_and_the_weights_shrink()
    {
        var folder = ModelCopies.WithoutVariants((await TestModels.TinyHuggingFaceAsync()).Root, "quantize-graph");
        var written = await ModelQuantizer.QuantizeAsync(folder, cancellationToken: Ct);

        var vision = written.Single(f => f.Source.EndsWith("vision_model.onnx", StringComparison.Ordinal));
        var graph = OnnxModelReader.Read(vision.Target).Graph;
        var constants = graph.Initializers.Select(t => t.Name).ToHashSet();
        Assert.DoesNotContain(graph.Nodes, n => n.OpType is "MatMul" or "Gemm" && constants.Contains(n.Inputs[1]));
        Assert.Equal(vision.Report.Quantized, graph.Nodes.Count(n => n.OpType == "MatMulInteger"));
        Assert.True(vision.Report.Quantized > 0);
        Assert.Contains(graph.Nodes, n => n.OpType == "DynamicQuantizeLinear");
        Assert.Contains(graph.Initializers, t => t.Data.DataType == OnnxDataType.Int8 && t.Data.Dims.Count == 2);
        Assert.True(vision.Report.WeightBytesAfter < vision.Report.WeightBytesBefore);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void A_gemm_with_transposed_weight_alpha_and_beta_keeps_its_result(bool perColumn, bool transB)
    {
        var random = new SeededRandom(7);
        float[] Values(int n, float scale) => [.. Enumerable.Range(0, n).Select(_ => random.NextCentered(scale))];
        var graph = new GraphBuilder("gemm");
        var x = graph.Input("x", OnnxDataType.Float, 4, 16);
        var weight = graph.Initializer("w", TensorData.FromArray(Values(16 * 8, 1), transB ? [8, 16] : [16, 8]));
        var bias = graph.Initializer("b", TensorData.FromArray(Values(8, 1), 8));
        graph.Output(graph.Gemm(x, weight, bias, transB: transB, alpha: 0.5f, beta: 2f), "y");
        var model = graph.ToModel();
        var input = new TestTensor(Values(4 * 16, 1), [4, 16]);

        var (quantized, report) = DynamicQuantizer.Quantize(OnnxModelReader.Read(model.ToArray(), "gemm.onnx"), "gemm.onnx", new QuantizationOptions { PerColumn = perColumn });

        Assert.Equal((0, 1, 0), (report.MatMuls, report.Gemms, report.KeptFloat));
        var expected = OrtTestRunner.RunSingle(model, ("x", input)).Values;
        var actual = OrtTestRunner.RunSingle(quantized, ("x", input)).Values;
        Assert.True(TensorPrimitives.CosineSimilarity(expected, actual) > 0.999f);
        Assert.True(TensorPrimitives.Distance(expected, actual) / TensorPrimitives.Norm(expected) < 0.03f);
    }

    [Fact]
    public async Task A_malformed_file_is_named_and_nothing_is_left_half_written()
    {
        var folder = ModelCopies.WithoutVariants((await TestModels.TinyHuggingFaceAsync()).Root, "quantize-broken");
        var text = Path.Combine(folder, "onnx", "model.onnx"); // the last one written: text and vision are staged by then
        var bytes = await File.ReadAllBytesAsync(text, Ct);
        await File.WriteAllBytesAsync(text, bytes[..(bytes.Length * 2 / 3)], Ct);

        var error = await Assert.ThrowsAsync<ModelFileException>(() => ModelQuantizer.QuantizeAsync(folder, cancellationToken: Ct));

        Assert.Equal(text, error.ModelPath);
        Assert.Contains("not a valid ONNX model", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(folder, "*_quantized*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(folder, "*.staging*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_already_quantized_model_is_refused()
    {
        var source = await TestModels.TinyHuggingFaceAsync();
        var folder = ModelCopies.WithoutVariants(source.Root, "quantize-twice");
        File.Copy(Path.Combine(source.Root, "onnx", "text_model_quantized.onnx"), Path.Combine(folder, "onnx", "text_model.onnx"), overwrite: true);

        var error = await Assert.ThrowsAsync<ModelFileException>(() => ModelQuantizer.QuantizeAsync(folder, cancellationToken: Ct));

        Assert.Contains("already quantized", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(folder, "*_quantized*", SearchOption.AllDirectories));
    }
}
