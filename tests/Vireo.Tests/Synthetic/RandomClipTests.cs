using Vireo.Onnx;
using Vireo.Synthetic.Onnx;
using Vireo.Synthetic.Clip;
using Vireo.Tests.Onnx;

namespace Vireo.Tests.Synthetic;

public class RandomClipTests
{
    private static readonly RandomClip Tiny = new(ClipArchitecture.Tiny, seed: 7);

    internal static float[] RandomPixels(int batch, int size, int seed)
    {
        var random = new SeededRandom((ulong)seed);
        return [.. Enumerable.Range(0, batch * 3 * size * size).Select(_ => random.NextCentered(1))];
    }

    internal static long[] TokenRow(int length, params long[] tokens)
    {
        var row = new long[length];
        row[0] = 49406;
        tokens.CopyTo(row, 1);
        row[tokens.Length + 1] = 49407;
        for (var i = tokens.Length + 2; i < length; i++)
            row[i] = 49407; // padded with <|endoftext|>, as the Hugging Face tokenizer config says
        return row;
    }

    [Fact]
    public void Vision_model_matches_the_reference_forward_pass_at_batch_2()
    {
        var model = Tiny.VisionModel(EncoderSignature.HuggingFaceVision(Tiny.EmbedDim));
        var reference = new ReferenceClip(model, ClipArchitecture.Tiny);
        var pixels = RandomPixels(2, 32, seed: 1);

        var output = OrtTestRunner.RunSingle(model, ("pixel_values", new TestTensor(pixels, [2, 3, 32, 32])));

        Assert.Equal([2L, 32], output.Shape);
        for (var b = 0; b < 2; b++)
        {
            var expected = reference.EncodeImage(pixels.AsSpan(b * 3072, 3072).ToArray());
            Assert.True(VectorMath.MaxRelativeError(output.Values.AsSpan(b * 32, 32), expected) < 1e-4);
        }
    }

    [Fact]
    public void Text_model_matches_the_reference_and_reads_the_end_of_text_position()
    {
        var model = Tiny.TextModel(EncoderSignature.HuggingFaceText(Tiny.EmbedDim));
        var reference = new ReferenceClip(model, ClipArchitecture.Tiny);
        long[][] rows = [TokenRow(77, 320, 736, 1615), TokenRow(77, 4009)];

        var output = OrtTestRunner.RunSingle(model, ("input_ids", new TestTensor([.. rows.SelectMany(r => r).Select(v => (float)v)], [2, 77])));

        Assert.Equal([2L, 32], output.Shape);
        for (var b = 0; b < 2; b++)
            Assert.True(VectorMath.MaxRelativeError(output.Values.AsSpan(b * 32, 32), reference.EncodeText(rows[b])) < 1e-4);
    }

    [Fact]
    public void Text_model_takes_any_sequence_length_up_to_the_context()
    {
        var model = Tiny.TextModel(EncoderSignature.HuggingFaceText(Tiny.EmbedDim));
        var reference = new ReferenceClip(model, ClipArchitecture.Tiny);
        var row = TokenRow(6, 320, 736);

        var output = OrtTestRunner.RunSingle(model, ("input_ids", new TestTensor([.. row.Select(v => (float)v)], [1, 6])));

        Assert.True(VectorMath.MaxRelativeError(output.Values, reference.EncodeText(row)) < 1e-4);
    }

    [Theory]
    [InlineData(WeightPrecision.Float16, 0.999)]
    [InlineData(WeightPrecision.Int8, 0.98)]
    public void Reduced_precision_variants_stay_close_to_float32(WeightPrecision precision, double minimumCosine)
    {
        var fp32 = Tiny.VisionModel(EncoderSignature.HuggingFaceVision(Tiny.EmbedDim));
        var reference = new ReferenceClip(fp32, ClipArchitecture.Tiny);
        var pixels = RandomPixels(1, 32, seed: 2);
        var ids = TokenRow(77, 320, 1929, 530, 320, 1615);
        var fp32Text = Tiny.TextModel(EncoderSignature.HuggingFaceText(Tiny.EmbedDim));
        var textReference = new ReferenceClip(fp32Text, ClipArchitecture.Tiny);

        var image = OrtTestRunner.RunSingle(Tiny.VisionModel(EncoderSignature.HuggingFaceVision(Tiny.EmbedDim), precision), ("pixel_values", new TestTensor(pixels, [1, 3, 32, 32])));
        var text = OrtTestRunner.RunSingle(Tiny.TextModel(EncoderSignature.HuggingFaceText(Tiny.EmbedDim), precision), ("input_ids", new TestTensor([.. ids.Select(v => (float)v)], [1, 77])));

        Assert.True(VectorMath.Cosine(image.Values, reference.EncodeImage(pixels)) > minimumCosine);
        Assert.True(VectorMath.Cosine(text.Values, textReference.EncodeText(ids)) > minimumCosine);
    }

    [Fact]
    public void Quantized_variants_use_integer_operators_and_8_bit_weights()
    {
        var vision = Tiny.VisionModel(EncoderSignature.HuggingFaceVision(Tiny.EmbedDim), WeightPrecision.Int8).Graph;
        var text = Tiny.TextModel(EncoderSignature.HuggingFaceText(Tiny.EmbedDim), WeightPrecision.Int8).Graph;

        Assert.Contains(vision.Nodes, n => n.OpType == "ConvInteger");
        Assert.Contains(vision.Nodes, n => n.OpType == "MatMulInteger");
        Assert.DoesNotContain(vision.Initializers, t => t.Data.DataType == OnnxDataType.Float && t.Data.Dims.Count == 2 && t.Data.Dims[0] == t.Data.Dims[1]);
        Assert.Contains(vision.Initializers, t => t.Data.DataType == OnnxDataType.UInt8 && t.Data.ElementCount > 1); // a model with a Conv keeps uint8 weights
        Assert.Contains(text.Nodes, n => n.OpType == "DequantizeLinear");
        Assert.Contains(text.Initializers, t => t.Data.DataType == OnnxDataType.Int8 && t.Data.ElementCount == 49408L * 32);
    }

    [Fact]
    public void Float16_variants_keep_float32_io_unless_asked_for_float16_io()
    {
        using var keep = OrtTestRunner.Load(Tiny.VisionModel(EncoderSignature.HuggingFaceVision(Tiny.EmbedDim), WeightPrecision.Float16));
        using var half = OrtTestRunner.Load(Tiny.VisionModel(EncoderSignature.HuggingFaceVision(Tiny.EmbedDim, float16Io: true), WeightPrecision.Float16));

        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, keep.InputMetadata["pixel_values"].ElementDataType);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float, keep.OutputMetadata["image_embeds"].ElementDataType);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16, half.InputMetadata["pixel_values"].ElementDataType);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16, half.OutputMetadata["image_embeds"].ElementDataType);
        var pixels = RandomPixels(1, 32, seed: 3);
        var a = OrtTestRunner.Run(keep, ("pixel_values", new TestTensor(pixels, [1, 3, 32, 32])))["image_embeds"];
        var b = OrtTestRunner.Run(half, ("pixel_values", new TestTensor(pixels, [1, 3, 32, 32])))["image_embeds"];
        Assert.True(VectorMath.Cosine(a.Values, b.Values) > 0.999);
    }

    [Fact]
    public void Immich_encoders_have_fixed_shapes_int32_text_and_normalised_embeddings()
    {
        var visual = Tiny.VisionModel(EncoderSignature.ImmichVisual(32, Tiny.EmbedDim));
        var textual = Tiny.TextModel(EncoderSignature.ImmichTextual(77, Tiny.EmbedDim));
        using var visualSession = OrtTestRunner.Load(visual);
        using var textualSession = OrtTestRunner.Load(textual);
        Assert.Equal([1, 3, 32, 32], visualSession.InputMetadata["image"].Dimensions);
        Assert.Equal([1, 77], textualSession.InputMetadata["text"].Dimensions);
        Assert.Equal(Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int32, textualSession.InputMetadata["text"].ElementDataType);
        var pixels = RandomPixels(1, 32, seed: 4);
        var ids = TokenRow(77, 2368, 3326);

        var image = OrtTestRunner.Run(visualSession, ("image", new TestTensor(pixels, [1, 3, 32, 32])))["embedding"];
        var text = OrtTestRunner.Run(textualSession, ("text", new TestTensor([.. ids.Select(v => (float)v)], [1, 77])))["embedding"];

        Assert.Equal(1.0, VectorMath.Norm(image.Values), 5);
        Assert.Equal(1.0, VectorMath.Norm(text.Values), 5);
        Assert.True(VectorMath.MaxRelativeError(image.Values, VectorMath.Normalized(new ReferenceClip(visual, ClipArchitecture.Tiny).EncodeImage(pixels))) < 1e-4);
        Assert.True(VectorMath.MaxRelativeError(text.Values, VectorMath.Normalized(new ReferenceClip(textual, ClipArchitecture.Tiny).EncodeText(ids))) < 1e-4);
    }

    [Fact]
    public void Combined_model_returns_scaled_cosine_logits_and_honours_the_attention_mask()
    {
        var model = Tiny.CombinedModel();
        var reference = new ReferenceClip(model, ClipArchitecture.Tiny);
        var pixels = RandomPixels(3, 32, seed: 5);
        long[][] rows = [TokenRow(8, 320, 736), TokenRow(8, 4009, 1615, 525)];
        // The first row hides a word before the end-of-text token: only a wired-in mask changes its embedding.
        long[][] masks = [[1, 0, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0, 0, 0]];
        Assert.True(VectorMath.Cosine(reference.EncodeText(rows[0], masks[0]), reference.EncodeText(rows[0])) < 0.99);
        using var session = OrtTestRunner.Load(model);

        var outputs = OrtTestRunner.Run(session,
            ("input_ids", new TestTensor([.. rows.SelectMany(r => r).Select(v => (float)v)], [2, 8])),
            ("pixel_values", new TestTensor(pixels, [3, 3, 32, 32])),
            ("attention_mask", new TestTensor([.. masks.SelectMany(r => r).Select(v => (float)v)], [2, 8])));

        Assert.Equal([3L, 2], outputs["logits_per_image"].Shape);
        Assert.Equal([2L, 3], outputs["logits_per_text"].Shape);
        var texts = rows.Select((r, i) => VectorMath.Normalized(reference.EncodeText(r, masks[i]))).ToArray();
        var images = Enumerable.Range(0, 3).Select(i => VectorMath.Normalized(reference.EncodeImage(pixels.AsSpan(i * 3072, 3072).ToArray()))).ToArray();
        for (var t = 0; t < 2; t++)
        {
            Assert.True(VectorMath.MaxRelativeError(outputs["text_embeds"].Values.AsSpan(t * 32, 32), texts[t]) < 1e-4);
            for (var i = 0; i < 3; i++)
            {
                var expected = 100 * VectorMath.Cosine(texts[t], images[i]);
                Assert.Equal(expected, outputs["logits_per_text"].Values[t * 3 + i], 2);
                Assert.Equal(expected, outputs["logits_per_image"].Values[i * 2 + t], 2);
            }
        }
    }
}
