using Vireo.Onnx;
using Vireo.Synthetic.Onnx;
using Vireo.Synthetic.Clip;

namespace Vireo.Tests.Synthetic;

public class FlopCountTests
{
    private static readonly Dictionary<string, long> OneImage = new()
    {
        ["batch_size"] = 1, ["num_channels"] = 3, ["height"] = 224, ["width"] = 224, ["sequence_length"] = 77,
    };

    [Fact]
    public void ViT_B_32_image_encoder_counts_4_4_giga_macs_per_image()
    {
        var clip = new RandomClip(ClipArchitecture.VitB32);
        var graph = clip.VisionModel(EncoderSignature.HuggingFaceVision(512)).Graph;

        var count = FlopCounter.Count(graph, OneImage);

        // Closed form: patch Conv 49·768·3072, per layer 4·50·768² (q, k, v, out) + 2·12·50²·64 (scores, context)
        // + 2·50·768·3072 (MLP), 12 layers, projection 768·512.
        const long expected = 49L * 768 * 3072 + 12 * (4L * 50 * 768 * 768 + 2L * 12 * 50 * 50 * 64 + 2L * 50 * 768 * 3072) + 768L * 512;
        Assert.Equal(expected, count.Macs);
        Assert.InRange(count.GigaMacs, 4.2, 4.6);    // the "4.4 GFLOPs" usually quoted for ViT-B/32 counts multiply-adds
        Assert.InRange(count.GigaFlops, 8.4, 9.2);   // 2 FLOPs per multiply-add
        Assert.Equal(49L * 768 * 3072, count.MacsByOp["Conv"]);
    }

    [Fact]
    public void Counts_scale_with_the_batch_and_the_text_encoder_counts_about_3_giga_macs()
    {
        var clip = new RandomClip(ClipArchitecture.VitB32);
        var vision = clip.VisionModel(EncoderSignature.HuggingFaceVision(512)).Graph;
        var text = clip.TextModel(EncoderSignature.HuggingFaceText(512)).Graph;

        var one = FlopCounter.Count(vision, OneImage).Macs;
        var sixteen = FlopCounter.Count(vision, new Dictionary<string, long>(OneImage) { ["batch_size"] = 16 }).Macs;
        var query = FlopCounter.Count(text, OneImage);

        Assert.Equal(16 * one, sixteen);
        const long expectedText = 12 * (4L * 77 * 512 * 512 + 2L * 8 * 77 * 77 * 64 + 2L * 77 * 512 * 2048) + 512L * 512;
        Assert.Equal(expectedText, query.Macs);
    }

    [Fact]
    public void Quantized_models_count_their_integer_products_too()
    {
        var tiny = new RandomClip(ClipArchitecture.Tiny);
        var bindings = new Dictionary<string, long>(OneImage) { ["height"] = 32, ["width"] = 32 };

        var fp32 = FlopCounter.Count(tiny.VisionModel(EncoderSignature.HuggingFaceVision(32)).Graph, bindings);
        var int8 = FlopCounter.Count(tiny.VisionModel(EncoderSignature.HuggingFaceVision(32), WeightPrecision.Int8).Graph, bindings);

        Assert.Equal(fp32.Macs, int8.Macs);
        Assert.True(int8.MacsByOp.ContainsKey("MatMulInteger") && int8.MacsByOp.ContainsKey("ConvInteger"));
    }

    [Fact]
    public void A_shape_missing_from_the_graph_is_reported_by_name()
    {
        var g = new GraphBuilder("unknown") { EmitValueInfo = false };
        var x = g.Input("x", OnnxDataType.Float, 2, 3);
        var y = g.Node("Relu", [x], [OnnxDataType.Float])[0];
        g.Output(g.MatMul(y, g.Initializer("w", TensorData.Filled(1, 3, 4))), "out");

        var error = Assert.Throws<InvalidOperationException>(() => FlopCounter.Count(g.ToGraph(), new Dictionary<string, long>()));
        Assert.Contains(y.Name, error.Message, StringComparison.Ordinal);
    }
}
