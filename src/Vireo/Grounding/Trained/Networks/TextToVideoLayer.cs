using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// The text-to-video encoder layer of QD-DETR and CG-DETR (<c>T2V_TransformerEncoderLayer.forward_post</c>, dropout
/// off): the clips attend to the text tokens and only the clips change; the tokens (and QD-DETR's global token) pass
/// through unchanged, so the layer takes and returns the clip sequence alone.
/// </summary>
public static class TextToVideoLayer
{
    /// <summary>
    /// QD-DETR's layer: <c>nn.MultiheadAttention</c> (<c>&lt;prefix&gt;.self_attn</c>) with the clips plus their
    /// positions as queries, the tokens plus theirs as keys and the bare tokens as values, then <see cref="AfterAttention"/>.
    /// </summary>
    /// <remarks>
    /// <paramref name="video"/> is [clips, width], <paramref name="text"/> [tokens, width]; <paramref name="textPositions"/>
    /// is null when the text has no positions (<c>use_txt_pos</c> off: zeros).
    /// </remarks>
    public static GraphValue Forward(NetworkGraph net, string prefix, GraphValue video, GraphValue videoPositions, GraphValue text,
        GraphValue? textPositions, int heads, long feedForwardWidth, LayerActivation activation)
    {
        ArgumentNullException.ThrowIfNull(net);
        var g = net.Graph;
        var attended = net.MultiheadAttention(prefix + ".self_attn", g.Add(video, videoPositions),
            TransformerLayers.WithPositions(g, text, textPositions), text, heads);
        return AfterAttention(net, prefix, video, attended, feedForwardWidth, activation);
    }

    /// <summary>
    /// The rest of the layer once the clips' attention output is known: x = clips + attended; the feed-forward block
    /// reads <c>norm1</c>(x) but its residual adds to x itself (not to the normalised x); then <c>norm2</c>.
    /// </summary>
    public static GraphValue AfterAttention(NetworkGraph net, string prefix, GraphValue video, GraphValue attended, long feedForwardWidth,
        LayerActivation activation)
    {
        ArgumentNullException.ThrowIfNull(net);
        var g = net.Graph;
        var x = g.Add(video, attended);
        var fed = net.FeedForward(prefix, net.LayerNorm(prefix + ".norm1", x), feedForwardWidth, activation);
        return net.LayerNorm(prefix + ".norm2", g.Add(x, fed));
    }
}
