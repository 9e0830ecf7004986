using Vireo.Temporal;

namespace Vireo.Research.Evaluation;

/// <summary>
/// 2D-TAN's <c>nms</c> (<c>lib/core/eval.py</c>) on windows already ranked best first: keep the first remaining window,
/// drop every remaining one whose overlap with it is not ≤ the threshold, stop at <c>topK</c> kept. The overlap is
/// <see cref="OfficialIoU.TwoDTanNms"/>, so a NaN overlap (two zero-length windows) suppresses, as in the original.
/// </summary>
internal static class TwoDTanNms
{
    public static ScoredWindow[] Apply(ReadOnlySpan<ScoredWindow> ranked, double threshold, int topK)
    {
        var kept = new List<ScoredWindow>(Math.Min(topK, ranked.Length));
        Span<bool> suppressed = ranked.Length <= 512 ? stackalloc bool[ranked.Length] : new bool[ranked.Length];
        for (var i = 0; i < ranked.Length; i++)
        {
            if (suppressed[i])
                continue;
            var keep = ranked[i];
            kept.Add(keep);
            if (kept.Count == topK)
                break;
            for (var j = i + 1; j < ranked.Length; j++)
            {
                if (!suppressed[j] && !(OfficialIoU.TwoDTanNms(keep.Start, keep.End, ranked[j].Start, ranked[j].End) <= threshold))
                    suppressed[j] = true;
            }
        }
        return [.. kept];
    }
}
