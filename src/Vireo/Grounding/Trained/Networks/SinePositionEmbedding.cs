using Vireo.Onnx;

namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// DETR's 1-D <c>PositionEmbeddingSine</c> as Lighthouse builds it (<c>normalize=True</c>, temperature 10000,
/// scale 2π), computed in the graph so the number of positions follows the input. With every position valid, clip
/// i (1-based) of L sits at x = i / (L + 1e-6) · 2π; feature 2j is sin(x / T^(2j/F)) and feature 2j+1 is
/// cos(x / T^(2j/F)).
/// </summary>
public static class SinePositionEmbedding
{
    private const float Temperature = 10000f;
    private const float Epsilon = 1e-6f;
    private const float Scale = 2 * MathF.PI;

    /// <summary>The embedding [length, <paramref name="features"/>] for the rows of <paramref name="sequence"/> [length, width].</summary>
    public static GraphValue Build(GraphBuilder graph, GraphValue sequence, int features)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(sequence);
        if (features <= 0 || features % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(features), features, "the number of features must be even and positive");
        var length = graph.Gather(graph.Shape(sequence), graph.Int64Scalar(0));
        var indices = graph.Range(graph.Int64Scalar(0), length, sequence[0]);
        var positions = graph.Add(graph.Cast(indices, OnnxDataType.Float), graph.Scalar(1));                 // cumsum of an all-valid mask
        var last = graph.Add(graph.Cast(length, OnnxDataType.Float), graph.Scalar(Epsilon));
        var normalized = graph.Mul(graph.Div(positions, last), graph.Scalar(Scale));
        var angles = graph.Div(graph.Unsqueeze(normalized, 1), graph.FloatConstant(Frequencies(features)));   // [length, features]
        var isSine = graph.Constant(TensorData.FromArray(EvenFeatures(features), features));
        return graph.Where(isSine, graph.Sin(angles), graph.Cos(angles));
    }

    /// <summary>T^(2·⌊k/2⌋/F) for feature k, in float32 as the official code computes it.</summary>
    internal static float[] Frequencies(int features)
    {
        var result = new float[features];
        for (var k = 0; k < features; k++)
            result[k] = MathF.Pow(Temperature, 2f * (k / 2) / features);
        return result;
    }

    private static bool[] EvenFeatures(int features)
    {
        var result = new bool[features];
        for (var k = 0; k < features; k += 2)
            result[k] = true;
        return result;
    }
}
