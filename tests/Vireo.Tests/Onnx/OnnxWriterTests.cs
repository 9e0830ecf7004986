using Vireo.Onnx;
using Vireo.Onnx.Protobuf;

namespace Vireo.Tests.Onnx;

public class OnnxWriterTests
{
    [Fact]
    public void A_written_matmul_add_softmax_graph_runs_in_onnx_runtime()
    {
        var g = new GraphBuilder("small");
        var x = g.Input("x", OnnxDataType.Float, "batch", 3);
        var w = g.Initializer("w", TensorData.FromArray(new float[] { 1, 2, 0, -1, 0.5f, 3 }, 3, 2));
        var b = g.Initializer("b", TensorData.Vector(0.25f, -0.5f));
        g.Output(g.Softmax(g.Add(g.MatMul(x, w), b)), "y");

        var y = OrtTestRunner.RunSingle(g.ToModel(), ("x", new TestTensor([1, 2, 3, -1, 0, 2], [2, 3])));

        Assert.Equal([2L, 2], y.Shape);
        for (var row = 0; row < 2; row++)
        {
            var logits = new double[2];
            for (var j = 0; j < 2; j++)
            {
                logits[j] = j == 0 ? 0.25 : -0.5;
                for (var k = 0; k < 3; k++)
                    logits[j] += new double[] { 1, 2, 3, -1, 0, 2 }[row * 3 + k] * new double[] { 1, 2, 0, -1, 0.5, 3 }[k * 2 + j];
            }
            var max = logits.Max();
            var sum = logits.Sum(l => Math.Exp(l - max));
            for (var j = 0; j < 2; j++)
                Assert.Equal(Math.Exp(logits[j] - max) / sum, y.Values[row * 2 + j], 5);
        }
    }

    [Fact]
    public void Every_attribute_type_reaches_onnx_runtime()
    {
        var g = new GraphBuilder("attributes");
        var x = g.Input("x", OnnxDataType.Float, 2, 3);
        // float + int attributes: Gemm alpha and transB; ints: Transpose perm.
        var b = g.Initializer("b", TensorData.FromArray(new float[] { 1, 0, 0, 0, 1, 0 }, 2, 3));
        var gemm = g.Gemm(x, b, transB: true, alpha: 0.5f);                                     // 0.5 · x · bᵀ: [2, 2]
        var transposed = g.Transpose(gemm, 1, 0);
        // string attribute: Pad mode "reflect"; tensor and floats attributes: Constant value / value_floats.
        var pads = g.Node("Constant", [], [OnnxDataType.Int64], [OnnxAttribute.Tensor("value", TensorData.Vector(0L, 1, 0, 1))])[0];
        var padded = g.Node("Pad", [transposed, pads], [OnnxDataType.Float], [OnnxAttribute.String("mode", "reflect")])[0];
        var offsets = g.Node("Constant", [], [OnnxDataType.Float], [OnnxAttribute.Floats("value_floats", 10, 20, 30, 40)])[0];
        g.Output(g.Add(g.WithShape(padded, 2, 4), offsets), "y");

        var y = OrtTestRunner.RunSingle(g.ToModel(), ("x", new TestTensor([1, 2, 3, 4, 5, 6], [2, 3])));

        // 0.5·x·bᵀ = [[0.5, 1], [2, 2.5]], transposed [[0.5, 2], [1, 2.5]], reflect-padded by 1 on the last axis.
        Assert.Equal([2L, 4], y.Shape);
        Assert.Equal([12f, 20.5f, 32, 40.5f, 12.5f, 21, 32.5f, 41], y.Values);
    }

    [Fact]
    public void Protobuf_fields_follow_the_wire_format()
    {
        static byte[] Encode(Action<ProtoOutput> write)
        {
            using var memory = new MemoryStream();
            write(new ProtoStreamWriter(memory));
            return memory.ToArray();
        }

        Assert.Equal([0x08, 0xAC, 0x02], Encode(o => o.Int64(1, 300)));                                        // varint
        Assert.Equal([0x10, .. Enumerable.Repeat((byte)0xFF, 9), 0x01], Encode(o => o.Int64(2, -1)));           // negative: 10 bytes
        Assert.Equal([0x15, 0x00, 0x00, 0x80, 0x3F], Encode(o => o.Float(2, 1f)));                               // fixed32
        Assert.Equal([0x22, 0x02, (byte)'h', (byte)'i'], Encode(o => o.String(4, "hi")));                        // length-delimited
        Assert.Equal([0x0A, 0x04, 0x01, 0xAC, 0x02, 0x03], Encode(o => o.PackedInt64(1, [1, 300, 3])));          // packed varints
        Assert.Empty(Encode(o => o.PackedInt64(1, [])));
        var opset = new OpsetImport("", 18);
        Assert.Equal([0x42, 0x02, 0x10, 0x12], Encode(o => o.Message(8, opset)));                                // nested message
        Assert.Equal(3, ProtoOutput.VarintSize(1UL << 20));
    }

    [Fact]
    public async Task Saved_models_are_exactly_their_computed_size_and_leave_no_partial_file()
    {
        var clip = new Vireo.Synthetic.Clip.RandomClip(Vireo.Synthetic.Clip.ClipArchitecture.Tiny);
        var model = clip.TextModel(Vireo.Synthetic.Clip.EncoderSignature.HuggingFaceText(32));
        var path = Support.TestVideos.NewPath("text.onnx");

        await model.SaveAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(model.SerializedSize, new FileInfo(path).Length);
        Assert.Equal(model.ToArray(), await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        Assert.False(File.Exists(path + ".partial"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var other = path + ".cancelled.onnx";
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => model.SaveAsync(other, cancelled.Token));
        Assert.False(File.Exists(other) || File.Exists(other + ".partial"));
    }

    [Fact]
    public void The_builder_rejects_mismatched_shapes_and_duplicate_names_when_the_node_is_added()
    {
        var g = new GraphBuilder("bad");
        var x = g.Input("x", OnnxDataType.Float, "batch", 3);
        var w = g.Initializer("w", TensorData.Filled(1, 4, 2));

        Assert.Contains("inner dimensions", Assert.Throws<ArgumentException>(() => g.MatMul(x, w)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => g.Add(x, g.Initializer("b", TensorData.Filled(0, 4))));
        Assert.Throws<ArgumentException>(() => g.Initializer("w", TensorData.Filled(1, 1)));
        Assert.Throws<ArgumentException>(() => g.Add(x, g.Int64s(1, 2, 3)));                    // Float + Int64
        Assert.Throws<ArgumentException>(() => g.Reshape(g.Initializer("m", TensorData.Filled(1, 2, 3)), 4, 2));
        Assert.Equal(["batch", (Dim)3], g.Reshape(x, 0, -1).Shape);
    }
}
