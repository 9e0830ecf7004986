using Vireo.Synthetic.Onnx;

namespace Vireo.Tests.Synthetic;

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
}
