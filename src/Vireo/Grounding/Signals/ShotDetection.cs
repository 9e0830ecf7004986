using System.Numerics.Tensors;
using Vireo.Vectors;
using Vireo.Temporal;

namespace Vireo.Grounding.Signals;

/// <summary>Shot boundaries at clip resolution: a boundary b means a new shot starts at clip b (0 &lt; b &lt; clips).</summary>
public static class ShotDetection
{
    /// <summary>
    /// Boundaries where the embedding changes abruptly: the change between clips b−1 and b is 1 − cos(x_{b−1}, x_b); a
    /// boundary is a local maximum of the change that exceeds its mean over the video by <paramref name="sensitivity"/>
    /// standard deviations. O(clips · dimension).
    /// </summary>
    public static int[] FromEmbeddings(EmbeddingMatrix clips, double sensitivity = 1.0)
    {
        ArgumentNullException.ThrowIfNull(clips);
        var n = clips.Count;
        if (n < 3)
            return [];
        var change = new float[n]; // change[b] between b-1 and b; change[0] unused
        for (var b = 1; b < n; b++)
            change[b] = 1 - TensorPrimitives.Dot(clips[b - 1], clips[b]);
        var values = change.AsSpan(1);
        var mean = TensorPrimitives.Average(values);
        var std = TensorPrimitives.StdDev(values);
        var threshold = mean + sensitivity * std;
        var boundaries = new List<int>();
        for (var b = 1; b < n; b++)
        {
            var peak = change[b] >= change[b - 1] && (b == n - 1 || change[b] >= change[b + 1]);
            if (peak && change[b] > threshold)
                boundaries.Add(b);
        }
        return [.. boundaries];
    }

    /// <summary>Boundaries from times in seconds (e.g. FFmpeg's scene changes), each rounded to the nearest clip boundary.</summary>
    public static int[] FromTimes(IEnumerable<double> seconds, ClipGrid grid)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        ArgumentNullException.ThrowIfNull(grid);
        var boundaries = new SortedSet<int>();
        foreach (var t in seconds)
        {
            if (!double.IsFinite(t))
                throw new ArgumentException($"shot boundary {t} is not a time", nameof(seconds));
            var b = (int)Math.Round(t / grid.ClipLength);
            if (b > 0 && b < grid.Count)
                boundaries.Add(b);
        }
        return [.. boundaries];
    }

    /// <summary>The shots between sorted boundaries: [0, b1), [b1, b2), ..., [bk, clips).</summary>
    public static ClipSpan[] Shots(IReadOnlyList<int> boundaries, int clipCount)
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        var shots = new List<ClipSpan>(boundaries.Count + 1);
        var start = 0;
        foreach (var b in boundaries)
        {
            if (b <= start || b >= clipCount)
                throw new ArgumentException($"shot boundaries must be increasing clip indices inside (0, {clipCount}); {b} is not", nameof(boundaries));
            shots.Add(new ClipSpan(start, b));
            start = b;
        }
        shots.Add(new ClipSpan(start, clipCount));
        return [.. shots];
    }
}
