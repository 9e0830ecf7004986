using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// CG-DETR's text-to-video encoder (<c>transformer.t2v_encoder</c>, dropout off). Its attention has no input
/// projection: the clips plus their positions are the queries, the dummy tokens (plus their positions) and the text
/// tokens are the keys. The dummies take part of every softmax but contribute no value, so a clip unrelated to the
/// query can attend mostly to them and receive little text. Only the clips change; the keys are the same in every layer.
/// </summary>
public static class CgDetrTextToVideo
{
    /// <param name="Clips">The clips after the last layer [clips, width].</param>
    /// <param name="TextWeights">
    /// The attention each clip pays to each text token, averaged over heads and layers [clips, tokens]: the official
    /// <c>attn_weights</c> without its dummy columns, which guides the choice of prompts.
    /// </param>
    public sealed record Output(GraphValue Clips, GraphValue TextWeights);

    /// <summary>
    /// Runs the layers under <paramref name="prefix"/> (<c>transformer.t2v_encoder</c>) on the clips [clips, width]
    /// with their positions; the keys are the encoded <paramref name="dummies"/> [dummies, width] plus their
    /// positions (<c>dummy_rep_pos</c>) followed by the text tokens [tokens, width], which have no positions.
    /// </summary>
    public static Output Forward(NetworkGraph net, string prefix, GraphValue video, GraphValue videoPositions, GraphValue dummies,
        GraphValue dummyPositions, GraphValue text, int layers, int heads, long feedForwardWidth, LayerActivation activation)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentOutOfRangeException.ThrowIfLessThan(layers, 1);
        var g = net.Graph;
        var dummyCount = dummies[0].Value ?? throw new ArgumentException("the number of dummy tokens must be fixed", nameof(dummies));
        var keyHeads = g.Transpose(SplitHeads(g, g.Concat(0, g.Add(dummies, dummyPositions), text), heads), 1, 2, 0);   // [H, d, N+T]
        var textValueHeads = g.Transpose(SplitHeads(g, text, heads), 1, 0, 2);                                            // [H, T, d]
        GraphValue? weightSum = null;
        for (var layer = 0; layer < layers; layer++)
        {
            var layerPrefix = $"{prefix}.layers.{layer}";
            var (attended, textWeights) = Attend(net, layerPrefix, g.Add(video, videoPositions), keyHeads, textValueHeads, dummyCount, heads);
            video = TextToVideoLayer.AfterAttention(net, layerPrefix, video, attended, feedForwardWidth, activation);
            weightSum = weightSum is null ? textWeights : g.Add(weightSum, textWeights);
        }
        return new Output(video, g.Div(weightSum!, g.Scalar(layers)));
    }

    /// <summary>
    /// The same layers applied to a sequence that has no keys at all (the official code runs CG-DETR's global token
    /// through them with an empty key set): the softmax over nothing gives an empty weight matrix, the attended values
    /// sum to zero, and the attention's output is its <c>out_proj</c> bias alone. Written out explicitly because
    /// softmax over an empty axis is NaN in exported graphs.
    /// </summary>
    public static GraphValue WithoutKeys(NetworkGraph net, string prefix, GraphValue tokens, int layers, long feedForwardWidth, LayerActivation activation)
    {
        ArgumentNullException.ThrowIfNull(net);
        var width = Layers.Width(tokens);
        for (var layer = 0; layer < layers; layer++)
        {
            var layerPrefix = $"{prefix}.layers.{layer}";
            var attended = net.Parameter(layerPrefix + ".self_attn.out_proj.bias", width);
            tokens = TextToVideoLayer.AfterAttention(net, layerPrefix, tokens, attended, feedForwardWidth, activation);
        }
        return tokens;
    }

    /// <summary>
    /// One layer's attention: q·d^-0.5 (Lighthouse's <c>crossattention.py</c> multiplies), softmax over dummies and
    /// text, values from the text only, then <c>self_attn.out_proj</c>. Also the head-averaged weights on the text.
    /// </summary>
    private static (GraphValue Attended, GraphValue TextWeights) Attend(NetworkGraph net, string layerPrefix, GraphValue queries,
        GraphValue keyHeads, GraphValue textValueHeads, long dummyCount, int heads)
    {
        var g = net.Graph;
        var width = Layers.Width(queries);
        var scaled = g.Mul(queries, g.Scalar((float)Math.Pow(width / heads, -0.5)));
        var queryHeads = g.Transpose(SplitHeads(g, scaled, heads), 1, 0, 2);                              // [H, L, d]
        var weights = g.Softmax(g.MatMul(queryHeads, keyHeads), -1);                                    // [H, L, N+T]
        var textWeights = g.Slice(weights, [dummyCount], [long.MaxValue], [2]);                         // [H, L, T]
        var attended = g.MatMul(textWeights, textValueHeads);                                            // [H, L, d]
        var merged = g.WithShape(g.Reshape(g.Transpose(attended, 1, 0, 2), -1, width), queries[0], width);
        var projected = net.Linear(layerPrefix + ".self_attn.out_proj", merged, width);
        var headMean = g.Div(g.ReduceSum(textWeights, [0], keepDims: false), g.Scalar(heads));          // [L, T]
        return (projected, headMean);
    }

    private static GraphValue SplitHeads(GraphBuilder g, GraphValue x, int heads)
    {
        var width = Layers.Width(x);
        return g.WithShape(g.Reshape(x, -1, heads, width / heads), x[0], heads, width / heads);
    }
}
