namespace Vireo.Tests.Synthetic;

/// <summary>Small vector helpers for comparing embeddings.</summary>
public static class VectorMath
{
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    public static double Norm(ReadOnlySpan<float> a)
    {
        double sum = 0;
        foreach (var v in a)
            sum += (double)v * v;
        return Math.Sqrt(sum);
    }

    public static float[] Normalized(ReadOnlySpan<float> a)
    {
        var norm = (float)Norm(a);
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
            result[i] = a[i] / norm;
        return result;
    }

    /// <summary>The largest |a − b| relative to the largest |b|.</summary>
    public static double MaxRelativeError(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        double scale = 0, error = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            error = Math.Max(error, Math.Abs(actual[i] - expected[i]));
        }
        return error / scale;
    }
}
