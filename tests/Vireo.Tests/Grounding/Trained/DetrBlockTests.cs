using Vireo.Grounding.Trained.Networks;
using Vireo.Models.Checkpoints;
using Vireo.Onnx;
using Vireo.Tests.Onnx;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>The shared network blocks (attention, transformer layers, sine positions, weights) against plain C# math, run in ONNX Runtime.</summary>
public class DetrBlockTests
{
    private const int Width = 16;
    private const int Heads = 4;
    private const int FeedForward = 24;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(40)]
    public void An_encoder_layer_matches_the_reference_for_any_length(int length)
    {
        var weights = new RandomStateDict(1).EncoderLayer("enc", Width, FeedForward);
        var src = weights.Array(length * Width);
        var pos = weights.Array(length * Width);
        var g = new GraphBuilder("encoder");
        var net = new NetworkGraph(g, new CheckpointWeights(weights.Tensors, "random.ckpt"));
        var srcIn = g.Input("src", OnnxDataType.Float, "length", Width);
        var posIn = g.Input("pos", OnnxDataType.Float, "length", Width);
        g.Output(net.EncoderLayer("enc", srcIn, posIn, Heads, FeedForward), "out");

        var actual = OrtTestRunner.RunSingle(g.ToModel(), ("src", new TestTensor(src, [length, Width])), ("pos", new TestTensor(pos, [length, Width])));

        AssertClose(ReferenceMath.EncoderLayer(weights.Values, "enc", src, pos, Heads, Width), actual.Values, 2e-5f);
        Assert.Equal([length, Width], actual.Shape);
    }

    [Fact]
    public void A_decoder_layer_matches_the_reference()
    {
        const int queries = 5, length = 9;
        var weights = new RandomStateDict(2).DecoderLayer("dec", Width, FeedForward);
        var tgt = weights.Array(queries * Width);
        var memory = weights.Array(length * Width);
        var pos = weights.Array(length * Width);
        var queryPos = weights.Array(queries * Width);
        var g = new GraphBuilder("decoder");
        var net = new NetworkGraph(g, new CheckpointWeights(weights.Tensors, "random.ckpt"));
        var inputs = new[] { ("tgt", queries), ("memory", length), ("pos", length), ("query_pos", queries) }
            .Select(i => g.Input(i.Item1, OnnxDataType.Float, i.Item2, Width)).ToArray();
        g.Output(net.DecoderLayer("dec", inputs[0], inputs[1], inputs[2], inputs[3], Heads, FeedForward), "out");

        var actual = OrtTestRunner.RunSingle(g.ToModel(), ("tgt", new TestTensor(tgt, [queries, Width])), ("memory", new TestTensor(memory, [length, Width])),
            ("pos", new TestTensor(pos, [length, Width])), ("query_pos", new TestTensor(queryPos, [queries, Width])));

        AssertClose(ReferenceMath.DecoderLayer(weights.Values, "dec", tgt, memory, pos, queryPos, Heads, Width), actual.Values, 2e-5f);
    }

    [Fact]
    public void An_additive_mask_removes_the_masked_keys()
    {
        const int queries = 3, length = 6, kept = 4;
        var weights = new RandomStateDict(3).Attention("attn", Width);
        var query = weights.Array(queries * Width);
        var memory = weights.Array(length * Width);
        var mask = new float[length];
        for (var j = kept; j < length; j++)
            mask[j] = float.NegativeInfinity;
        var g = new GraphBuilder("masked");
        var net = new NetworkGraph(g, new CheckpointWeights(weights.Tensors, "random.ckpt"));
        var q = g.Input("q", OnnxDataType.Float, queries, Width);
        var m = g.Input("m", OnnxDataType.Float, "length", Width);
        var maskIn = g.Input("mask", OnnxDataType.Float, "length");
        g.Output(net.MultiheadAttention("attn", q, m, m, Heads, maskIn), "out");

        var actual = OrtTestRunner.RunSingle(g.ToModel(), ("q", new TestTensor(query, [queries, Width])), ("m", new TestTensor(memory, [length, Width])),
            ("mask", new TestTensor(mask, [length])));

        var expected = ReferenceMath.MultiheadAttention(weights.Values, "attn", query, memory[..(kept * Width)], memory[..(kept * Width)], Heads, Width);
        AssertClose(expected, actual.Values, 2e-5f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(75)]
    [InlineData(150)]
    public void Sine_positions_follow_the_sequence_length(int length)
    {
        var g = new GraphBuilder("positions");
        var sequence = g.Input("x", OnnxDataType.Float, "length", 3);
        g.Output(SinePositionEmbedding.Build(g, sequence, 256), "pos");

        var actual = OrtTestRunner.RunSingle(g.ToModel(), ("x", new TestTensor(new float[length * 3], [length, 3])));

        Assert.Equal([length, 256], actual.Shape);
        AssertClose(ReferenceMath.SinePositions(length, 256), actual.Values, 5e-6f);
    }

    [Fact]
    public void A_missing_or_misshaped_weight_names_the_key_and_the_shapes()
    {
        var weights = new RandomStateDict(4).EncoderLayer("enc", Width, FeedForward).Without("enc.norm2.bias")
            .Tensor("enc.linear1.weight", FeedForward, Width + 1);
        var g = new GraphBuilder("broken");
        var net = new NetworkGraph(g, new CheckpointWeights(weights.Tensors, "broken.ckpt"));
        var src = g.Input("src", OnnxDataType.Float, "length", Width);

        var missing = Assert.Throws<CheckpointException>(() => net.LayerNorm("enc.norm2", src));
        var misshaped = Assert.Throws<CheckpointException>(() => net.EncoderLayer("enc", src, null, Heads, FeedForward));

        Assert.StartsWith("broken.ckpt", missing.Message, StringComparison.Ordinal);
        Assert.Contains("'enc.norm2.bias' is missing", missing.Message, StringComparison.Ordinal);
        Assert.Contains("'enc.linear1.weight' has shape [24, 17] where the network needs [24, 16]", misshaped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Linear_weights_are_transposed_block_by_block()
    {
        var stateDict = new Dictionary<string, CheckpointTensor>
        {
            ["w"] = new([4, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], "FloatStorage"),
            ["b"] = new([4], [0, 1, 2, 3], "FloatStorage"),
        };
        var weights = new CheckpointWeights(stateDict, "w.ckpt");

        Assert.Equal([0f, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11], weights.TransposedLinearWeight("w", 4, 3));
        Assert.Equal([6f, 9, 7, 10, 8, 11], weights.TransposedLinearWeight("w", 2, 3, part: 1, parts: 2));
        Assert.Equal([2f, 3], weights.VectorPart("b", 2, part: 1, parts: 2));
        Assert.Throws<CheckpointException>(() => weights.TransposedLinearWeight("w", 3, 3));
    }

    internal static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, float tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        var worst = 0f;
        var at = -1;
        for (var i = 0; i < expected.Count; i++)
        {
            var difference = Math.Abs(expected[i] - actual[i]);
            if (!(difference <= worst))
                (worst, at) = (difference, i);
        }
        Assert.True(worst <= tolerance, $"max abs difference {worst} at {at} (expected {(at >= 0 ? expected[at] : 0)}, got {(at >= 0 ? actual[at] : 0)}) exceeds {tolerance}");
    }
}
