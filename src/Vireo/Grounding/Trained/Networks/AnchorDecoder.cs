using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// The DAB-DETR-style decoder of QD-DETR and CG-DETR (<c>TransformerDecoder</c> with <c>query_scale_type</c>
/// cond_elewise, <c>modulate_t_attn</c>, one shared <c>bbox_embed</c>, <c>keep_query_pos</c> off): each query
/// carries a (center, width) anchor whose sine embedding positions it, and every layer but the last refines the anchor.
/// </summary>
public static class AnchorDecoder
{
    /// <summary>What the heads on top of the decoder need.</summary>
    /// <param name="Hidden">The last layer's state after the decoder's <c>norm</c> [queries, width].</param>
    /// <param name="LastAnchors">The anchors (sigmoid space) the last layer was given [queries, 2]; spans are predicted relative to them.</param>
    public sealed record Output(GraphValue Hidden, GraphValue LastAnchors);

    /// <summary>
    /// Runs <paramref name="layers"/> layers under <paramref name="prefix"/> (e.g. <c>transformer.decoder</c>) over the
    /// encoder output <paramref name="memory"/> [length, width] with its <paramref name="memoryPositions"/>, starting from
    /// the learnt anchors before the sigmoid, <paramref name="anchorLogits"/> (<c>query_embed.weight</c>, [queries, 2]).
    /// </summary>
    public static Output Forward(NetworkGraph net, string prefix, GraphValue memory, GraphValue memoryPositions, GraphValue anchorLogits,
        int layers, int heads, long feedForwardWidth, LayerActivation activation)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(anchorLogits);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        var g = net.Graph;
        var width = Layers.Width(memory);
        var queries = anchorLogits[0].Value ?? throw new ArgumentException("the number of anchors must be fixed", nameof(anchorLogits));
        var anchors = g.Sigmoid(anchorLogits);
        var target = g.FloatConstant(new float[queries * width], queries, width);
        for (var layer = 0; layer < layers; layer++)
        {
            using var scope = g.Scope($"decoder{layer}");
            var layerPrefix = $"{prefix}.layers.{layer}";
            var sine = AnchorEmbedding.Sine(g, anchors, width);
            var queryPositions = net.Mlp(prefix + ".ref_point_head", sine, width, width, 2);
            var querySine = ModulatedSine(net, prefix, sine, target, anchors, isFirst: layer == 0);
            var next = AnchorDecoderLayer.Forward(net, layerPrefix, target, memory, memoryPositions, queryPositions, querySine,
                addsQueryPositions: layer == 0, heads, feedForwardWidth, activation);
            if (layer == layers - 1)
                return new Output(net.LayerNorm(prefix + ".norm", next), anchors);
            target = next;
            anchors = Refined(net, prefix, target, anchors, width);
        }
        throw new InvalidOperationException("unreachable: the loop returns at its last layer");
    }

    /// <summary>
    /// The sine embedding scaled by the state (<c>query_scale</c>, except in the first layer) and by the ratio of a
    /// predicted width (<c>ref_anchor_head</c>) to the anchor's width.
    /// </summary>
    private static GraphValue ModulatedSine(NetworkGraph net, string prefix, GraphValue sine, GraphValue target, GraphValue anchors, bool isFirst)
    {
        var g = net.Graph;
        var width = Layers.Width(target);
        var scaled = isFirst ? sine : g.Mul(sine, net.Mlp(prefix + ".query_scale", target, width, width, 2));
        var predictedWidth = g.Sigmoid(net.Mlp(prefix + ".ref_anchor_head", target, width, 1, 2));   // [Q, 1]
        var anchorWidth = g.Slice(anchors, [1], [2], [1]);                                          // [Q, 1]
        return g.Mul(scaled, g.Div(predictedWidth, anchorWidth));
    }

    /// <summary>The next layer's anchors: sigmoid(<c>bbox_embed</c>(state) + inverse_sigmoid(anchors)).</summary>
    private static GraphValue Refined(NetworkGraph net, string prefix, GraphValue target, GraphValue anchors, long width)
    {
        var g = net.Graph;
        var offsets = net.Mlp(prefix + ".bbox_embed", target, width, 2, 3);
        return g.Sigmoid(g.Add(offsets, AnchorEmbedding.InverseSigmoid(g, anchors)));
    }
}
