using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// One layer of the DAB-DETR-style decoder of QD-DETR and CG-DETR (<c>TransformerDecoderLayer</c> of their
/// transformer files, post-norm, dropout off). Its attentions take separately projected content and position parts
/// (Lighthouse's <c>attention.MultiheadAttention</c> has no input projection); in the cross-attention each head's
/// query is its content part followed by its part of the anchor's sine embedding, and each key likewise.
/// </summary>
public static class AnchorDecoderLayer
{
    /// <summary>
    /// The layer under <paramref name="prefix"/> (e.g. <c>transformer.decoder.layers.0</c>) on the decoder state
    /// <paramref name="target"/> [queries, width] over <paramref name="memory"/> [length, width] and its
    /// <paramref name="memoryPositions"/>. <paramref name="queryPositions"/> are the anchors' positional queries
    /// (<c>ref_point_head</c> output) and <paramref name="querySine"/> their scaled sine embedding, both [queries, width].
    /// <paramref name="addsQueryPositions"/>: the cross-attention adds the positions to its query and key content
    /// (<c>is_first or keep_query_pos</c>; only then does the layer have <c>ca_qpos_proj</c>).
    /// </summary>
    public static GraphValue Forward(NetworkGraph net, string prefix, GraphValue target, GraphValue memory, GraphValue memoryPositions,
        GraphValue queryPositions, GraphValue querySine, bool addsQueryPositions, int heads, long feedForwardWidth, LayerActivation activation)
    {
        ArgumentNullException.ThrowIfNull(net);
        var g = net.Graph;
        var x = net.LayerNorm(prefix + ".norm1", g.Add(target, SelfAttention(net, prefix, target, queryPositions, heads)));
        var crossAttended = CrossAttention(net, prefix, x, memory, memoryPositions, queryPositions, querySine, addsQueryPositions, heads);
        x = net.LayerNorm(prefix + ".norm2", g.Add(x, crossAttended));
        return net.LayerNorm(prefix + ".norm3", g.Add(x, net.FeedForward(prefix, x, feedForwardWidth, activation)));
    }

    private static GraphValue SelfAttention(NetworkGraph net, string prefix, GraphValue target, GraphValue queryPositions, int heads)
    {
        var g = net.Graph;
        var width = Layers.Width(target);
        var q = g.Add(net.Linear(prefix + ".sa_qcontent_proj", target, width), net.Linear(prefix + ".sa_qpos_proj", queryPositions, width));
        var k = g.Add(net.Linear(prefix + ".sa_kcontent_proj", target, width), net.Linear(prefix + ".sa_kpos_proj", queryPositions, width));
        var v = net.Linear(prefix + ".sa_v_proj", target, width);
        var attended = Attention.ScaledDotProduct(g, q, k, v, heads, scaling: QueryScaling.MultiplyByInverseSqrtHeadDim);
        return net.Linear(prefix + ".self_attn.out_proj", attended, width);
    }

    private static GraphValue CrossAttention(NetworkGraph net, string prefix, GraphValue target, GraphValue memory, GraphValue memoryPositions,
        GraphValue queryPositions, GraphValue querySine, bool addsQueryPositions, int heads)
    {
        var g = net.Graph;
        var width = Layers.Width(target);
        var queryContent = net.Linear(prefix + ".ca_qcontent_proj", target, width);
        var keyContent = net.Linear(prefix + ".ca_kcontent_proj", memory, width);
        var keyPositions = net.Linear(prefix + ".ca_kpos_proj", memoryPositions, width);
        if (addsQueryPositions)
        {
            queryContent = g.Add(queryContent, net.Linear(prefix + ".ca_qpos_proj", queryPositions, width));
            keyContent = g.Add(keyContent, keyPositions);
        }
        var q = InterleaveHeads(g, queryContent, net.Linear(prefix + ".ca_qpos_sine_proj", querySine, width), heads);
        var k = InterleaveHeads(g, keyContent, keyPositions, heads);
        var v = net.Linear(prefix + ".ca_v_proj", memory, width);
        var attended = Attention.ScaledDotProduct(g, q, k, v, heads, scaling: QueryScaling.MultiplyByInverseSqrtHeadDim);
        return net.Linear(prefix + ".cross_attn.out_proj", attended, width);
    }

    /// <summary>[n, width] and [n, width] to [n, 2·width] where head h holds head h of <paramref name="first"/> then of <paramref name="second"/>.</summary>
    private static GraphValue InterleaveHeads(GraphBuilder g, GraphValue first, GraphValue second, int heads)
    {
        var width = Layers.Width(first);
        var headWidth = width / heads;
        var joined = g.Concat(-1, g.Reshape(first, -1, heads, headWidth), g.Reshape(second, -1, heads, headWidth));
        return g.WithShape(g.Reshape(joined, -1, 2 * width), first[0], 2 * width);
    }
}
