namespace Vireo.Grounding;

/// <summary>
/// The moments worth showing a person: temporal NMS keeps a short moment inside a long one (their IoU is small),
/// which reads as a repetition, and a long one around a short one, which reads as the same occurrence with padding.
/// Keeping a moment only when most of it is new, when it does not enclose a moment already kept, and only when its
/// clips are more like the sentence than the rest of the video (a positive score), leaves the distinct occurrences.
/// Evaluation uses the grounder's full ranked list instead, as the benchmarks' mAP expects.
/// </summary>
public static class DistinctMoments
{
    /// <summary>
    /// At most <paramref name="count"/> moments, in rank order; the first always, each later one only when its score
    /// is positive, it encloses no moment already kept, and at most <paramref name="maxCovered"/> of its length lies
    /// inside moments already kept.
    /// </summary>
    public static IReadOnlyList<GroundedMoment> Select(IReadOnlyList<GroundedMoment> moments, int count, double maxCovered = 0.5)
    {
        ArgumentNullException.ThrowIfNull(moments);
        var kept = new List<GroundedMoment>(Math.Min(count, moments.Count));
        foreach (var moment in moments)
        {
            if (kept.Count == count)
                break;
            if (kept.Count > 0 && (moment.Score <= 0 || Encloses(moment, kept) || Covered(moment, kept) > maxCovered))
                continue;
            kept.Add(moment);
        }
        return kept;
    }

    private static bool Encloses(GroundedMoment moment, List<GroundedMoment> kept)
    {
        foreach (var other in kept)
        {
            if (moment.Start <= other.Start && other.End <= moment.End)
                return true;
        }
        return false;
    }

    /// <summary>The share of <paramref name="moment"/>'s length that lies inside kept moments (which do not overlap much).</summary>
    private static double Covered(GroundedMoment moment, List<GroundedMoment> kept)
    {
        var length = moment.End - moment.Start;
        if (length <= 0)
            return 1;
        var inside = 0.0;
        foreach (var other in kept)
            inside += Math.Max(0, Math.Min(moment.End, other.End) - Math.Max(moment.Start, other.Start));
        return Math.Min(1, inside / length);
    }
}
