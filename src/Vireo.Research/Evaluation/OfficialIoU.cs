namespace Vireo.Research.Evaluation;

/// <summary>
/// The temporal IoU of each official evaluation, operation for operation, so that a window at exactly 0.3, 0.5 or 0.7
/// is decided as the official code decides it (the formulas agree mathematically but not in the last bit; Vireo's
/// own <see cref="Vireo.Temporal.TemporalWindow.IoUOf"/> uses |a| + |b| − |a ∩ b|). Inverted windows go through the
/// same arithmetic as in the official code.
/// </summary>
internal static class OfficialIoU
{
    /// <summary>
    /// 2D-TAN's <c>iou</c>: max(0, min(e) − max(s)) / max(0, max(e) − min(s)); 0/0 (two zero-length windows at the same
    /// time) is NaN, which is never a hit and makes NumPy's mean NaN.
    /// </summary>
    public static double TwoDTan(double ps, double pe, double gs, double ge)
    {
        var inter = Math.Max(0.0, Math.Min(pe, ge) - Math.Max(ps, gs));
        var union = Math.Max(0.0, Math.Max(pe, ge) - Math.Min(ps, gs));
        return inter / union;
    }

    /// <summary>
    /// 2D-TAN's NMS overlap: inter / (|a| + |b| − inter) with inter = max(0, min(e) − max(s)); two zero-length windows give
    /// 0/0 = NaN, which fails the <c>ovr &lt;= thresh</c> test, so the second is suppressed even at another time.
    /// </summary>
    public static double TwoDTanNms(double s1, double e1, double s2, double e2)
    {
        var inter = Math.Max(0.0, Math.Min(e1, e2) - Math.Max(s1, s2));
        return inter / ((e1 - s1) + (e2 - s2) - inter);
    }

    /// <summary>
    /// VSLNet's <c>calculate_iou</c>: (min(e) − max(s)) / (max(e) − min(s)), then max(0, ·); null where the union is
    /// zero (Python raises ZeroDivisionError there).
    /// </summary>
    public static double? VslNet(double ps, double pe, double gs, double ge)
    {
        var union = PyMax(pe, ge) - PyMin(ps, gs);
        if (union == 0)
            return null;
        var iou = 1.0 * (PyMin(pe, ge) - PyMax(ps, gs)) / union;
        return iou > 0.0 ? iou : 0.0;
    }

    /// <summary>moment_detr's <c>compute_temporal_iou_batch_paired</c>: the max(e) − min(s) union, 0 where it is 0.</summary>
    public static double MomentDetrPaired(double ps, double pe, double gs, double ge)
    {
        var inter = Math.Max(0.0, Math.Min(pe, ge) - Math.Max(ps, gs));
        var union = Math.Max(pe, ge) - Math.Min(ps, gs);
        return union != 0 ? inter / union : 0.0;
    }

    /// <summary>moment_detr's <c>compute_temporal_iou_batch_cross</c>: inter / (|a| + |b| − inter), 0/0 = NaN.</summary>
    public static double MomentDetrCross(double ps, double pe, double gs, double ge)
    {
        var inter = Math.Max(0.0, Math.Min(pe, ge) - Math.Max(ps, gs));
        return inter / ((pe - ps) + (ge - gs) - inter);
    }

    /// <summary>
    /// LocalizingMoments' <c>iou</c> on inclusive segment indices: max(0, min(e) + 1 − max(s)) / (max(e) + 1 − min(s)).
    /// </summary>
    public static double DiDeMo((int Start, int End) pred, (int Start, int End) truth)
    {
        var intersection = Math.Max(0, Math.Min(pred.End, truth.End) + 1 - Math.Max(pred.Start, truth.Start));
        var union = Math.Max(pred.End, truth.End) + 1 - Math.Min(pred.Start, truth.Start);
        return (double)intersection / union;
    }

    /// <summary>Python's <c>min(a, b)</c>: b only when b &lt; a (so the first of two equal zeros).</summary>
    private static double PyMin(double a, double b) => b < a ? b : a;

    /// <summary>Python's <c>max(a, b)</c>: b only when b &gt; a.</summary>
    private static double PyMax(double a, double b) => b > a ? b : a;
}
