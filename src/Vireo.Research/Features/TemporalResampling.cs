namespace Vireo.Research.Features;

/// <summary>
/// Resampling clip features [T, D] to a fixed number of clips N.
/// <list type="bullet">
/// <item><see cref="AveragePool"/>: adaptive average pooling — output clip i averages input clips
/// floor(i·T/N) .. ceil((i+1)·T/N) − 1 (PyTorch's <c>adaptive_avg_pool1d</c>); every input clip contributes, bins
/// overlap by at most one clip, and N &gt; T repeats clips.</item>
/// <item><see cref="RoundedBins"/>: the sampling of 2D-TAN (<c>average_to_fixed_length</c>) and VSLNet
/// (<c>visual_feature_sampling</c>) — bin edges round(i·T/N) (half to even) clamped to T − 1; output clip i is the mean
/// of input clips [edge_i, edge_{i+1}) or, when that range is empty, input clip edge_i alone. The clamp means the last
/// input clip only appears through an empty bin; VSLNet leaves features with T ≤ N unchanged
/// (<c>onlyDownsample</c>).</item>
/// </list>
/// </summary>
public static class TemporalResampling
{
    public static FeatureArray AveragePool(FeatureArray features, int clips)
    {
        var (t, d) = Check(features, clips);
        var output = new float[clips * d];
        for (var i = 0; i < clips; i++)
        {
            var start = (int)((long)i * t / clips);
            var end = (int)(((long)(i + 1) * t + clips - 1) / clips);
            Mean(features, start, end, output.AsSpan(i * d, d));
        }
        return new FeatureArray(output, [clips, d], features.SourceDType);
    }

    public static FeatureArray RoundedBins(FeatureArray features, int clips, bool onlyDownsample = false)
    {
        var (t, d) = Check(features, clips);
        if (onlyDownsample && t <= clips)
            return features;
        var edges = new int[clips + 1];
        for (var i = 0; i <= clips; i++)
            edges[i] = (int)Math.Min(Math.Round((double)i / clips * t, MidpointRounding.ToEven), t - 1);
        var output = new float[clips * d];
        for (var i = 0; i < clips; i++)
        {
            var (s, e) = (edges[i], edges[i + 1]);
            Mean(features, s, s < e ? e : s + 1, output.AsSpan(i * d, d));
        }
        return new FeatureArray(output, [clips, d], features.SourceDType);
    }

    private static (int T, int D) Check(FeatureArray features, int clips)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(clips, 1);
        if (features.Shape.Length != 2 || features.Rows == 0)
            throw new ArgumentException($"expected non-empty [clips, dim] features, got {features}", nameof(features));
        return (features.Rows, features.Columns);
    }

    private static void Mean(FeatureArray features, int start, int end, Span<float> into)
    {
        into.Clear();
        for (var r = start; r < end; r++)
            System.Numerics.Tensors.TensorPrimitives.Add(into, features.Row(r), into);
        System.Numerics.Tensors.TensorPrimitives.Divide(into, end - start, into);
    }
}
