using Vireo.Onnx;

namespace Vireo.Tests.Onnx;

/// <summary>Each typed op helper, run through ONNX Runtime, against a direct C# computation.</summary>
public class GraphOpsTests
{
    // x: [2, 3, 4] = 0.25 · (i − 12), i = 0..23.
    private static readonly float[] X = [.. Enumerable.Range(0, 24).Select(i => 0.25f * (i - 12))];

    private static float At(int a, int b, int c) => X[(a * 3 + b) * 4 + c];

    private static TestTensor Run(Func<GraphBuilder, GraphValue, GraphValue> build, out IReadOnlyList<Dim>? inferred)
    {
        var g = new GraphBuilder("op");
        var x = g.Input("x", OnnxDataType.Float, 2, 3, 4);
        var y = build(g, x);
        inferred = y.Shape;
        g.Output(y, "y");
        return OrtTestRunner.RunSingle(g.ToModel(), ("x", new TestTensor(X, [2, 3, 4])));
    }

    private static void AssertOp(Func<GraphBuilder, GraphValue, GraphValue> build, long[] shape, Func<int, double> expected, int precision = 5)
    {
        var y = Run(build, out var inferred);
        Assert.Equal(shape, y.Shape);
        Assert.Equal(shape, inferred!.Select(d => d.Value!.Value)); // the builder inferred the shape ONNX Runtime produced
        for (var i = 0; i < y.Count; i++)
            Assert.Equal(expected(i), y.Values[i], precision);
    }

    [Fact]
    public void Element_wise_ops() =>
        AssertOp((g, x) => g.Div(g.Sub(g.Exp(g.Mul(x, g.Scalar(0.5f))), g.Sqrt(g.Abs(x))), g.Add(g.Pow(x, g.Scalar(2)), g.Scalar(1))),
            [2, 3, 4], i => (Math.Exp(0.5 * X[i]) - Math.Sqrt(Math.Abs(X[i]))) / (X[i] * X[i] + 1.0));

    [Fact]
    public void Activations() =>
        AssertOp((g, x) => g.Add(g.Add(g.Gelu(x), g.QuickGelu(x)), g.Add(g.Tanh(x), g.Max(g.Neg(x), g.Min(x, g.Scalar(0.1f))))),
            [2, 3, 4], i =>
            {
                double v = X[i];
                var gelu = 0.5 * v * (1 + Erf(v / Math.Sqrt(2)));
                var quick = v / (1 + Math.Exp(-1.702 * v));
                return gelu + quick + Math.Tanh(v) + Math.Max(-v, Math.Min(v, 0.1));
            }, precision: 4);

    [Fact]
    public void Trigonometry_logarithm_and_rectifiers() =>
        AssertOp((g, x) => g.Add(g.Add(g.Sin(x), g.Cos(x)), g.Add(g.Log(g.Add(g.Abs(x), g.Scalar(1))), g.Add(g.Relu(x), g.PRelu(x, g.Scalar(0.25f))))),
            [2, 3, 4], i =>
            {
                double v = X[i];
                return Math.Sin(v) + Math.Cos(v) + Math.Log(Math.Abs(v) + 1) + Math.Max(v, 0) + (v >= 0 ? v : 0.25 * v);
            });

    [Fact]
    public void Where_chooses_by_a_broadcast_condition_and_range_counts_a_dynamic_length() =>
        AssertOp((g, x) =>
        {
            var evenColumn = g.Constant(TensorData.FromArray(new[] { true, false, true, false }, 4));
            var counted = g.Cast(g.Range(g.Int64Scalar(0), g.Gather(g.Shape(x), g.Int64Scalar(2)), 4), OnnxDataType.Float);
            return g.Where(evenColumn, x, g.Add(g.Neg(x), counted));
        }, [2, 3, 4], i => i % 4 % 2 == 0 ? X[i] : -X[i] + i % 4);

    [Fact]
    public void Reductions_keep_or_drop_axes() =>
        AssertOp((g, x) => g.Add(g.ReduceMean(x, [1], keepDims: true), g.Unsqueeze(g.ReduceSum(x, [1, 2], keepDims: false), 1, 2)),
            [2, 1, 4], i =>
            {
                int a = i / 4, c = i % 4;
                var mean = Enumerable.Range(0, 3).Average(b => At(a, b, c));
                var sum = Enumerable.Range(0, 12).Sum(j => At(a, j / 4, j % 4));
                return mean + sum;
            });

    [Fact]
    public void Softmax_and_layer_normalization() =>
        AssertOp((g, x) => g.Add(g.Softmax(x, -1), g.LayerNormalization(x, g.FloatConstant([1, 2, 3, 4]), g.FloatConstant([0, 0, 1, 1]))),
            [2, 3, 4], i =>
            {
                var row = X.AsSpan(i / 4 * 4, 4).ToArray();
                var softmax = Math.Exp(row[i % 4]) / row.Sum(v => Math.Exp(v));
                var mean = row.Average();
                var variance = row.Average(v => (v - mean) * (v - mean));
                var norm = (row[i % 4] - mean) / Math.Sqrt(variance + 1e-5) * (i % 4 + 1) + (i % 4 >= 2 ? 1 : 0);
                return softmax + norm;
            }, precision: 4);

    [Fact]
    public void Reshape_transpose_flatten_squeeze() =>
        AssertOp((g, x) => g.Squeeze(g.Unsqueeze(g.Flatten(g.Transpose(g.Reshape(x, 0, -1, 2), 2, 0, 1), 1), 0), 0),
            [2, 12], i =>
            {
                // Reshape to [2, 6, 2], transpose to [2 (last), 2, 6], flatten to [2, 12].
                int k = i / 12, a = i % 12 / 6, j = i % 6;
                return X[a * 12 + j * 2 + k];
            });

    [Fact]
    public void Slice_concat_gather_cast()
    {
        AssertOp((g, x) =>
        {
            var sliced = g.Slice(x, [1, -3], [long.MaxValue, -1], [2, 1]);                    // [2, 2, 3]: b in 0..1, c in 1..3
            var gathered = g.Gather(x, g.Int64s(2, 0), axis: 1);                                 // [2, 2, 4]
            var joined = g.Concat(2, sliced, g.Slice(gathered, [0], [3], [2]));                  // [2, 2, 6]
            return g.Cast(g.Cast(g.Mul(joined, g.Scalar(4)), OnnxDataType.Int32), OnnxDataType.Float);
        }, [2, 2, 6], i =>
        {
            int a = i / 12, b = i % 12 / 6, c = i % 6;
            var v = c < 3 ? At(a, b, c + 1) : At(a, b == 0 ? 2 : 0, c - 3);
            return (int)(4 * v);
        });
    }

    [Fact]
    public void Matmul_broadcasts_batches_and_gemm_transposes() =>
        AssertOp((g, x) => g.MatMul(x, g.Transpose(g.Slice(x, [0], [1], [0]), 0, 2, 1)),          // [2,3,4] x [1,4,3]
            [2, 3, 3], i =>
            {
                int a = i / 9, r = i % 9 / 3, c = i % 3;
                return Enumerable.Range(0, 4).Sum(k => (double)At(a, r, k) * At(0, c, k));
            }, precision: 4);

    [Fact]
    public void Convolution_with_stride_and_padding()
    {
        var g = new GraphBuilder("conv");
        var x = g.Input("x", OnnxDataType.Float, 1, 1, 4, 4);
        var kernel = g.Initializer("k", TensorData.FromArray(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 1, 1, 3, 3));
        var y = g.Conv(x, kernel, g.Initializer("b", TensorData.Vector(0.5f)), stride: 2, pad: 1);
        Assert.Equal([1, 1, 2, 2], y.Shape!.Select(d => d.Value!.Value));
        g.Output(y, "y");
        var input = Enumerable.Range(0, 16).Select(i => (float)i).ToArray();

        var output = OrtTestRunner.RunSingle(g.ToModel(), ("x", new TestTensor(input, [1, 1, 4, 4])));

        for (var oy = 0; oy < 2; oy++)
        {
            for (var ox = 0; ox < 2; ox++)
            {
                double sum = 0.5;
                for (var ky = 0; ky < 3; ky++)
                {
                    for (var kx = 0; kx < 3; kx++)
                    {
                        int iy = oy * 2 + ky - 1, ix = ox * 2 + kx - 1;
                        if (iy is >= 0 and < 4 && ix is >= 0 and < 4)
                            sum += input[iy * 4 + ix] * (ky * 3 + kx + 1);
                    }
                }
                Assert.Equal(sum, output.Values[oy * 2 + ox], 4);
            }
        }
    }

    // erf by its Maclaurin series (accurate to well below 1e-6 for the |x| <= 3 used here).
    private static double Erf(double x)
    {
        double sum = 0, term = x;
        for (var n = 0; n < 60; n++)
        {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.Sqrt(Math.PI) * sum;
    }
}
