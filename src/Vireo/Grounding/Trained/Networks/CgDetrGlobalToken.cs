using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// CG-DETR's global (saliency) token before it enters the text-to-video layers: the mean of the clips (the context)
/// plus a mixture of the learnt prompt tokens (<c>global_rep_token</c>) that resemble the clips the text attends to.
/// Each clip's cosine similarity to every prompt, relative to the context, goes through a softmax over the prompts;
/// the clips are weighted by their share of the text attention; the top-scoring prompts are mixed by their scores.
/// </summary>
/// <remarks>
/// The choice of prompts is discrete and the fixtures' runner-up scores lie as little as 6e-6 apart, so every step
/// follows the official float32 order of operations (normalise, divide by the total, scale by the clip count, mean).
/// </remarks>
public static class CgDetrGlobalToken
{
    private const float NormalizeEpsilon = 1e-12f;

    /// <summary>
    /// The token [1, width] from the projected <paramref name="clips"/> (before the text-to-video layers) [clips, width]
    /// and their attention on the text tokens [clips, tokens] (<see cref="CgDetrTextToVideo.Output.TextWeights"/>),
    /// mixing <paramref name="chosenPrompts"/> (<c>num_prompts</c>) of the <paramref name="totalPrompts"/> prompts.
    /// </summary>
    public static GraphValue Build(NetworkGraph net, GraphValue clips, GraphValue textWeights, int totalPrompts, int chosenPrompts)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentOutOfRangeException.ThrowIfLessThan(chosenPrompts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chosenPrompts, totalPrompts);
        var g = net.Graph;
        var width = Layers.Width(clips);
        var prompts = net.Parameter("global_rep_token", totalPrompts, width);
        var context = g.ReduceMean(clips, [0]);                                                                  // [1, width]
        var similarity = g.MatMul(Normalized(g, g.Sub(clips, context)), g.Transpose(Normalized(g, prompts), 1, 0));
        var affinity = g.Softmax(similarity, -1);                                                                // [clips, prompts]
        var scores = g.ReduceMean(g.Mul(affinity, ClipImportance(g, textWeights)), [0]);                         // [1, prompts]
        var top = g.Node("TopK", [scores, g.Int64s(chosenPrompts)], [OnnxDataType.Float, OnnxDataType.Int64],
            [OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("largest", 1), OnnxAttribute.Int("sorted", 1)]);
        var chosen = g.Gather(prompts, g.Reshape(top[1], chosenPrompts));                                        // [k, width]
        var mixed = g.ReduceSum(g.Mul(chosen, g.Reshape(top[0], chosenPrompts, 1)), [0]);                        // [1, width]
        return g.WithShape(g.Add(mixed, context), 1, width);
    }

    /// <summary>Each clip's total attention on the text, divided by the sum over clips and multiplied by the clip count [clips, 1].</summary>
    private static GraphValue ClipImportance(GraphBuilder g, GraphValue textWeights)
    {
        var perClip = g.ReduceSum(textWeights, [1]);
        var clipCount = g.Cast(g.Gather(g.Shape(textWeights), g.Int64Scalar(0)), OnnxDataType.Float);
        return g.Mul(g.Div(perClip, g.ReduceSum(perClip, [0])), clipCount);
    }

    /// <summary><c>F.normalize</c> of the rows: x / max(‖x‖₂, 1e-12).</summary>
    private static GraphValue Normalized(GraphBuilder g, GraphValue x)
    {
        var norm = g.Sqrt(g.ReduceSum(g.Mul(x, x), [-1]));
        return g.Div(x, g.Max(norm, g.Scalar(NormalizeEpsilon)));
    }
}
