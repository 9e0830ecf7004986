using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>Multi-head attention over 2-D [length, width] sequences.</summary>
public static class Attention
{
    /// <summary>
    /// <c>nn.MultiheadAttention</c> with packed projections (<c>&lt;prefix&gt;.in_proj_weight</c> / <c>in_proj_bias</c>
    /// holding query, key and value, then <c>&lt;prefix&gt;.out_proj</c>). Query, key and value are separate inputs
    /// because DETR adds positions to the query and key only. <paramref name="additiveMask"/>, when given, is added to
    /// the [heads, queries, keys] scores before the softmax (0 to keep, -inf to drop; any shape broadcasting to it).
    /// </summary>
    public static GraphValue MultiheadAttention(this NetworkGraph net, string prefix, GraphValue query, GraphValue key, GraphValue value,
        int heads, GraphValue? additiveMask = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        var width = Layers.Width(query);
        var q = PackedProjection(net, prefix, query, width, 0);
        var k = PackedProjection(net, prefix, key, width, 1);
        var v = PackedProjection(net, prefix, value, width, 2);
        var attended = ScaledDotProduct(net.Graph, q, k, v, heads, additiveMask);
        return net.Linear(prefix + ".out_proj", attended, width);
    }

    /// <summary>
    /// Attention of projected queries q [Lq, Dqk] over keys k [Lk, Dqk] and values v [Lk, Dv], split into
    /// <paramref name="heads"/> heads: softmax(q·kᵀ/√(Dqk/heads) + mask)·v per head, the heads concatenated to
    /// [Lq, Dv] (before any output projection).
    /// </summary>
    public static GraphValue ScaledDotProduct(GraphBuilder graph, GraphValue q, GraphValue k, GraphValue v, int heads,
        GraphValue? additiveMask = null, QueryScaling scaling = QueryScaling.DivideBySqrtHeadDim)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        var headWidth = HeadWidth(q, heads);
        var scaled = scaling == QueryScaling.DivideBySqrtHeadDim
            ? graph.Div(q, graph.Scalar((float)Math.Sqrt(headWidth)))
            : graph.Mul(q, graph.Scalar((float)Math.Pow(headWidth, -0.5)));
        var qHeads = graph.Transpose(SplitHeads(graph, scaled, heads), 1, 0, 2);   // [H, Lq, d]
        var kHeads = graph.Transpose(SplitHeads(graph, k, heads), 1, 2, 0);        // [H, d, Lk]
        var vHeads = graph.Transpose(SplitHeads(graph, v, heads), 1, 0, 2);        // [H, Lk, dv]
        var scores = graph.MatMul(qHeads, kHeads);
        if (additiveMask is not null)
            scores = graph.Add(scores, additiveMask);
        var attended = graph.MatMul(graph.Softmax(scores, -1), vHeads);         // [H, Lq, dv]
        var merged = graph.Reshape(graph.Transpose(attended, 1, 0, 2), -1, Layers.Width(v));
        return graph.WithShape(merged, q[0], Layers.Width(v));
    }

    private static GraphValue PackedProjection(NetworkGraph net, string prefix, GraphValue x, long width, int part)
    {
        var weight = net.TransposedLinearWeight(prefix + ".in_proj_weight", width, Layers.Width(x), part, 3);
        return net.Graph.Add(net.Graph.MatMul(x, weight), net.VectorPart(prefix + ".in_proj_bias", width, part, 3));
    }

    private static GraphValue SplitHeads(GraphBuilder graph, GraphValue x, int heads)
    {
        var headWidth = HeadWidth(x, heads);
        return graph.WithShape(graph.Reshape(x, -1, heads, headWidth), x[0], heads, headWidth);
    }

    private static long HeadWidth(GraphValue x, int heads)
    {
        var width = Layers.Width(x);
        if (width % heads != 0)
            throw new ArgumentException($"a width of {width} does not split into {heads} heads", nameof(heads));
        return width / heads;
    }
}
