using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>The output heads QD-DETR and CG-DETR share: spans refined from the decoder's anchors, saliency against the global token.</summary>
internal static class AnchoredHeads
{
    /// <summary>[queries, 2]: sigmoid(span_embed(hidden) + inverse_sigmoid(anchors the last layer received)), (center, width) in 0..1.</summary>
    public static GraphValue Spans(NetworkGraph net, AnchorDecoder.Output decoded, long width)
    {
        var g = net.Graph;
        return g.Sigmoid(g.Add(net.Mlp("span_embed", decoded.Hidden, width, 2, 3), AnchorEmbedding.InverseSigmoid(g, decoded.LastAnchors)));
    }

    /// <summary>Per clip [clips, 1]: saliency_proj1(clip) · saliency_proj2(global) / √width.</summary>
    public static GraphValue Saliency(NetworkGraph net, GraphValue clipMemory, GraphValue global)
    {
        var g = net.Graph;
        var width = Layers.Width(clipMemory);
        var products = g.Mul(net.Linear("saliency_proj1", clipMemory, width), net.Linear("saliency_proj2", global, width));
        return g.Div(g.ReduceSum(products, [-1], keepDims: true), g.Scalar(MathF.Sqrt(width)));
    }
}
