namespace Vireo.Temporal;

/// <summary>
/// A [start, end] interval of a video in seconds. The temporal IoU of two windows is
/// |intersection| / |union| with |union| = |a| + |b| − |intersection|; two windows that do not overlap have IoU 0,
/// and so do two zero-length windows (the official scripts divide 0 by 0 there; see docs/architecture.md).
/// Windows are not clipped here: a predicted window reaching past the end is scored as given, as the official
/// evaluations score predictions; the research toolkit's protocols clip the ground truth where the official code does
/// and compute their own IoU formulas (Vireo.Research, <c>--protocol</c>).
/// </summary>
public readonly record struct TemporalWindow(double Start, double End)
{
    /// <summary>End − Start (negative for an inverted window).</summary>
    public double Length => End - Start;

    /// <summary>True when Start ≤ End and both are finite.</summary>
    public bool IsValid => double.IsFinite(Start) && double.IsFinite(End) && Start <= End;

    /// <summary>Length of the overlap with <paramref name="other"/> (0 when disjoint).</summary>
    public double Intersection(TemporalWindow other) => Math.Max(0, Math.Min(End, other.End) - Math.Max(Start, other.Start));

    /// <summary>Temporal intersection over union with <paramref name="other"/>, in [0, 1].</summary>
    public double IoU(TemporalWindow other) => IoUOf(Start, End, other.Start, other.End);

    /// <summary>Temporal IoU of [s1, e1] and [s2, e2]; 0 when the union is empty.</summary>
    public static double IoUOf(double s1, double e1, double s2, double e2)
    {
        var intersection = Math.Max(0, Math.Min(e1, e2) - Math.Max(s1, s2));
        var union = (e1 - s1) + (e2 - s2) - intersection;
        return union > 0 ? intersection / union : 0;
    }

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{Start:0.###}, {End:0.###}]");
}

/// <summary>A window with a confidence score, as a grounding method predicts it (higher is better).</summary>
public readonly record struct ScoredWindow(double Start, double End, double Score)
{
    public ScoredWindow(TemporalWindow window, double score)
        : this(window.Start, window.End, score)
    {
    }

    public TemporalWindow Window => new(Start, End);

    public double IoU(ScoredWindow other) => TemporalWindow.IoUOf(Start, End, other.Start, other.End);
}
