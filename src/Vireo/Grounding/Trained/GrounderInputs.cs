using System.Numerics.Tensors;

namespace Vireo.Grounding.Trained;

/// <summary>
/// The model inputs of Lighthouse's evaluation path (<c>training/dataset.py</c>), the one that produces published numbers:
/// each feature row divided by its L2 norm plus 1e-5 (float32), the temporal-endpoint features <c>[i/L, i/L + 1/L]</c>
/// appended to every clip, text cut to the first <c>max_q_l</c> tokens.
/// </summary>
public static class GrounderInputs
{
    /// <summary>Added to the norm, not clamped against it: <c>x / (‖x‖ + 1e-5)</c>.</summary>
    public const float NormEpsilon = 1e-5f;

    /// <summary>The video input [clips, dim (+2 with tef)] for <paramref name="clips"/> rows of <paramref name="dim"/> raw features.</summary>
    public static float[] Video(ReadOnlySpan<float> features, int clips, int dim, bool tef)
    {
        Require(features, clips, dim);
        var width = tef ? dim + 2 : dim;
        var input = new float[clips * width];
        var oneClip = (float)(1.0 / clips);
        for (var i = 0; i < clips; i++)
        {
            var row = input.AsSpan(i * width, width);
            Normalize(features.Slice(i * dim, dim), row[..dim]);
            if (tef)
            {
                var start = (float)i / clips;
                row[dim] = start;
                row[dim + 1] = start + oneClip;
            }
        }
        return input;
    }

    /// <summary>The text input [min(tokens, maxTokens), dim].</summary>
    public static float[] Text(ReadOnlySpan<float> tokenFeatures, int tokens, int dim, int maxTokens)
    {
        Require(tokenFeatures, tokens, dim);
        var kept = Math.Min(tokens, maxTokens);
        var input = new float[kept * dim];
        for (var i = 0; i < kept; i++)
            Normalize(tokenFeatures.Slice(i * dim, dim), input.AsSpan(i * dim, dim));
        return input;
    }

    private static void Normalize(ReadOnlySpan<float> source, Span<float> destination)
    {
        var norm = TensorPrimitives.Norm(source) + NormEpsilon;
        TensorPrimitives.Divide(source, norm, destination);
    }

    private static void Require(ReadOnlySpan<float> values, int rows, int dim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        if (values.Length != rows * dim)
            throw new ArgumentException($"{values.Length} values are not {rows} rows of {dim}", nameof(values));
    }
}
