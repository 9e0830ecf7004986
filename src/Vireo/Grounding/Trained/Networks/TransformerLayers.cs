using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// DETR's post-norm transformer layers (<c>normalize_before=False</c>, dropout off) over 2-D [length, width]
/// sequences. Positions are added to the attention queries and keys, never to the values.
/// </summary>
public static class TransformerLayers
{
    /// <summary>
    /// <c>TransformerEncoderLayer.forward_post</c>: self-attention (<c>self_attn</c>) + residual + <c>norm1</c>,
    /// feed-forward (<c>linear1</c>, activation, <c>linear2</c>) + residual + <c>norm2</c>.
    /// <paramref name="activation"/> is ReLU unless given (QD-DETR and CG-DETR use <see cref="Activations.PRelu"/>);
    /// <paramref name="mask"/> is an additive attention mask (see <see cref="Attention.MultiheadAttention"/>).
    /// </summary>
    public static GraphValue EncoderLayer(this NetworkGraph net, string prefix, GraphValue source, GraphValue? positions,
        int heads, long feedForwardWidth, LayerActivation? activation = null, GraphValue? mask = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        var g = net.Graph;
        var queryKey = WithPositions(g, source, positions);
        var attended = net.MultiheadAttention(prefix + ".self_attn", queryKey, queryKey, source, heads, mask);
        var x = net.LayerNorm(prefix + ".norm1", g.Add(source, attended));
        var fed = net.FeedForward(prefix, x, feedForwardWidth, activation);
        return net.LayerNorm(prefix + ".norm2", g.Add(x, fed));
    }

    /// <summary>
    /// <c>TransformerDecoderLayer.forward_post</c>: self-attention of the queries (<c>self_attn</c>) + <c>norm1</c>,
    /// cross-attention to the memory (<c>multihead_attn</c>) + <c>norm2</c>, feed-forward + <c>norm3</c>.
    /// <paramref name="target"/> is the decoder state [queries, width], <paramref name="memory"/> the encoder output
    /// [length, width]; <paramref name="memoryPositions"/> are added to the memory's keys, <paramref name="queryPositions"/>
    /// to the queries (and the self-attention keys); <paramref name="memoryMask"/> is added to the cross-attention scores.
    /// </summary>
    public static GraphValue DecoderLayer(this NetworkGraph net, string prefix, GraphValue target, GraphValue memory,
        GraphValue? memoryPositions, GraphValue? queryPositions, int heads, long feedForwardWidth,
        LayerActivation? activation = null, GraphValue? memoryMask = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        var g = net.Graph;
        var queryKey = WithPositions(g, target, queryPositions);
        var selfAttended = net.MultiheadAttention(prefix + ".self_attn", queryKey, queryKey, target, heads);
        var x = net.LayerNorm(prefix + ".norm1", g.Add(target, selfAttended));
        var crossAttended = net.MultiheadAttention(prefix + ".multihead_attn", WithPositions(g, x, queryPositions),
            WithPositions(g, memory, memoryPositions), memory, heads, memoryMask);
        x = net.LayerNorm(prefix + ".norm2", g.Add(x, crossAttended));
        var fed = net.FeedForward(prefix, x, feedForwardWidth, activation);
        return net.LayerNorm(prefix + ".norm3", g.Add(x, fed));
    }

    /// <summary>The layers' feed-forward block: <c>linear2(activation(linear1(x)))</c>, dropout off.</summary>
    public static GraphValue FeedForward(this NetworkGraph net, string prefix, GraphValue x, long feedForwardWidth, LayerActivation? activation = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        var hidden = net.Linear(prefix + ".linear1", x, feedForwardWidth);
        return net.Linear(prefix + ".linear2", (activation ?? Activations.Relu)(net, prefix, hidden), Layers.Width(x));
    }

    /// <summary><c>with_pos_embed</c>: x + positions, or x when there are none.</summary>
    public static GraphValue WithPositions(GraphBuilder graph, GraphValue x, GraphValue? positions)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return positions is null ? x : graph.Add(x, positions);
    }
}
