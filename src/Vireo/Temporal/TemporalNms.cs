using System.Runtime.InteropServices;

namespace Vireo.Temporal;

/// <summary>
/// Temporal non-maximum suppression. Greedy by score: the windows are visited from the highest score down (ties keep
/// their input order), a window is kept unless its IoU with an already kept window is strictly greater than the
/// threshold (IoU = threshold survives, as in 2D-TAN's and Otani et al.'s <c>nms</c>), and the pass stops once
/// <c>maxCount</c> windows are kept.
/// </summary>
public static class TemporalNms
{
    /// <summary>The kept windows, best first.</summary>
    /// <param name="windows">Candidates in any order.</param>
    /// <param name="iouThreshold">Suppress a window whose IoU with a kept one is &gt; this.</param>
    /// <param name="maxCount">Stop after this many kept windows; 0 or less keeps all survivors.</param>
    public static ScoredWindow[] Apply(ReadOnlySpan<ScoredWindow> windows, double iouThreshold, int maxCount = 0)
    {
        var order = SortByScore(windows);
        return ApplySorted(order, iouThreshold, maxCount);
    }

    /// <summary>As <see cref="Apply"/>, for windows already ordered best first (their order is kept, scores are not read).</summary>
    public static ScoredWindow[] ApplySorted(ReadOnlySpan<ScoredWindow> sortedWindows, double iouThreshold, int maxCount = 0)
    {
        var limit = maxCount > 0 ? Math.Min(maxCount, sortedWindows.Length) : sortedWindows.Length;
        var kept = new List<ScoredWindow>(limit);
        foreach (var candidate in sortedWindows)
        {
            if (IsSuppressed(candidate, CollectionsMarshal.AsSpan(kept), iouThreshold))
                continue;
            kept.Add(candidate);
            if (kept.Count == limit)
                break;
        }
        return [.. kept];
    }

    /// <summary>
    /// The suppression rule on its own, for methods that build their kept list incrementally: true when
    /// <paramref name="candidate"/>'s IoU with one of <paramref name="kept"/> is strictly greater than the threshold.
    /// </summary>
    public static bool IsSuppressed(ScoredWindow candidate, ReadOnlySpan<ScoredWindow> kept, double iouThreshold)
    {
        foreach (var k in kept)
        {
            if (candidate.IoU(k) > iouThreshold)
                return true;
        }
        return false;
    }

    /// <summary>The windows sorted by descending score, ties in input order (a stable sort).</summary>
    public static ScoredWindow[] SortByScore(ReadOnlySpan<ScoredWindow> windows)
    {
        var sorted = windows.ToArray();
        if (sorted.Length <= 64)
        {
            // Insertion sort: stable, and fastest for the few windows a query has.
            for (var i = 1; i < sorted.Length; i++)
            {
                var item = sorted[i];
                var j = i - 1;
                while (j >= 0 && sorted[j].Score < item.Score)
                {
                    sorted[j + 1] = sorted[j];
                    j--;
                }
                sorted[j + 1] = item;
            }
            return sorted;
        }
        var keys = new (double NegatedScore, int Index)[sorted.Length];
        for (var i = 0; i < keys.Length; i++)
            keys[i] = (-sorted[i].Score, i);
        Array.Sort(keys, sorted);
        return sorted;
    }
}
