using Vireo.Onnx;
namespace Vireo.Synthetic.Onnx;

/// <summary>
/// The compute of a graph, counted from its nodes and the shapes recorded in it (inputs, outputs,
/// initializers and value_info). Only the matrix products count: MatMul, MatMulInteger, Gemm, Conv and
/// ConvInteger, each as multiply-accumulates (MACs). Element-wise ops, normalisation and softmax are ignored
/// (under 1% of a transformer's MACs).
/// Convention: <see cref="FlopCount.Flops"/> = 2 × MACs (a multiply and an add). Papers that quote ViT-B/32 at
/// "4.4 GFLOPs" (fvcore, timm) count MACs; that is <see cref="FlopCount.GigaMacs"/> here, 8.8 GFLOPs in 2×MAC terms.
/// </summary>
public static class FlopCounter
{
    private static readonly HashSet<string> MatrixOps = ["MatMul", "MatMulInteger", "Gemm", "Conv", "ConvInteger"];

    /// <summary>Counts <paramref name="graph"/> with its symbolic dimensions bound (e.g. "batch_size" → 1).</summary>
    public static FlopCount Count(OnnxGraph graph, IReadOnlyDictionary<string, long> bindings)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(bindings);
        var shapes = graph.KnownShapes();
        long total = 0;
        var byOp = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes.Where(n => MatrixOps.Contains(n.OpType)))
        {
            long[] Shape(int input) =>
                shapes.TryGetValue(node.Inputs[input], out var s)
                    ? [.. s.Select(d => d.Resolve(bindings))]
                    : throw new InvalidOperationException($"{node.Name} ({node.OpType}): the shape of input '{node.Inputs[input]}' is not recorded in the graph");
            var macs = node.OpType switch
            {
                "MatMul" or "MatMulInteger" => MatMulMacs(Shape(0), Shape(1)),
                "Gemm" => GemmMacs(node, Shape(0), Shape(1)),
                _ => ConvMacs(node, Shape(0), Shape(1)),
            };
            total += macs;
            byOp[node.OpType] = byOp.GetValueOrDefault(node.OpType) + macs;
        }
        return new FlopCount(total, byOp);
    }

    private static long MatMulMacs(long[] a, long[] b)
    {
        // Batch dimensions broadcast; the product is [.., M, K] x [.., K, N].
        var batchRank = Math.Max(a.Length, b.Length) - 2;
        long batch = 1;
        for (var i = 0; i < batchRank; i++)
        {
            var da = i - (batchRank - (a.Length - 2)) is var ia && ia >= 0 ? a[ia] : 1;
            var db = i - (batchRank - (b.Length - 2)) is var ib && ib >= 0 ? b[ib] : 1;
            batch *= Math.Max(da, db);
        }
        return batch * a[^2] * a[^1] * b[^1];
    }

    private static long GemmMacs(OnnxNode node, long[] a, long[] b)
    {
        var transA = node.Attribute("transA")?.IntValue == 1;
        var transB = node.Attribute("transB")?.IntValue == 1;
        var (m, k) = transA ? (a[1], a[0]) : (a[0], a[1]);
        var n = transB ? b[0] : b[1];
        return m * k * n;
    }

    private static long ConvMacs(OnnxNode node, long[] x, long[] w)
    {
        var strides = node.Attribute("strides")?.IntValues ?? [1, 1];
        var pads = node.Attribute("pads")?.IntValues ?? [0, 0, 0, 0];
        long outputPixels = 1;
        for (var i = 0; i < w.Length - 2; i++)
            outputPixels *= (x[i + 2] + pads[i] + pads[i + w.Length - 2] - w[i + 2]) / strides[i] + 1;
        long kernel = 1;
        for (var i = 1; i < w.Length; i++)
            kernel *= w[i];
        return x[0] * w[0] * outputPixels * kernel;
    }
}

/// <summary>Multiply-accumulates of a graph, in total and per operator type.</summary>
public sealed record FlopCount(long Macs, IReadOnlyDictionary<string, long> MacsByOp)
{
    /// <summary>2 × MACs.</summary>
    public long Flops => 2 * Macs;

    public double GigaMacs => Macs / 1e9;

    public double GigaFlops => Flops / 1e9;
}
