using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// The (center, width) anchors of DAB-DETR-style decoders (QD-DETR, CG-DETR) as graph values: their sine embedding
/// (<c>gen_sineembed_for_position</c>) and the clamped logit (<c>inverse_sigmoid</c>) used to refine them.
/// </summary>
public static class AnchorEmbedding
{
    private const float Temperature = 10000;
    private const float InverseSigmoidEpsilon = 1e-3f;

    /// <summary>
    /// Anchors [queries, 2] in 0..1 to [queries, <paramref name="width"/>]: the center's embedding then the width's,
    /// each <paramref name="width"/>/2 values alternating sin and cos of 2π·coordinate / 10000^(2⌊i/2⌋ / (width/2)).
    /// </summary>
    public static GraphValue Sine(GraphBuilder graph, GraphValue anchors, long width)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(anchors);
        if (width % 4 != 0)
            throw new ArgumentException($"an anchor embedding of width {width} does not split into sin/cos pairs for two coordinates", nameof(width));
        var perCoordinate = width / 2;
        var queries = anchors[0];
        var scaled = graph.Mul(anchors, graph.Scalar(2 * MathF.PI));
        // Each sin/cos pair shares one frequency, so the angles are computed once per pair.
        var angles = graph.Div(graph.Unsqueeze(scaled, -1), graph.FloatConstant(PairFrequencies(perCoordinate)));   // [Q, 2, pairs]
        var pairs = graph.Concat(-1, graph.Unsqueeze(graph.Sin(angles), -1), graph.Unsqueeze(graph.Cos(angles), -1));
        return graph.WithShape(graph.Reshape(pairs, -1, width), queries, width);
    }

    /// <summary><c>inverse_sigmoid</c>: log(max(x, ε) / max(1 − x, ε)) after clamping x to 0..1, ε = 1e-3.</summary>
    public static GraphValue InverseSigmoid(GraphBuilder graph, GraphValue x)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var epsilon = graph.Scalar(InverseSigmoidEpsilon);
        var clamped = graph.Min(graph.Max(x, graph.Scalar(0)), graph.Scalar(1));
        var numerator = graph.Max(clamped, epsilon);
        var denominator = graph.Max(graph.Sub(graph.Scalar(1), clamped), epsilon);
        return graph.Log(graph.Div(numerator, denominator));
    }

    /// <summary>The divisors 10000^(2k / n) for the n/2 sin/cos pairs, in float32 as PyTorch computes them.</summary>
    private static float[] PairFrequencies(long perCoordinate)
    {
        var divisors = new float[perCoordinate / 2];
        for (var k = 0; k < divisors.Length; k++)
            divisors[k] = MathF.Pow(Temperature, 2f * k / perCoordinate);
        return divisors;
    }
}
