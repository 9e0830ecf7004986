using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Grounding.Scoring;

/// <summary>How <see cref="InsideOutsideContrast"/> turns the two means into a score.</summary>
public enum ContrastStatistic
{
    /// <summary>
    /// The default. (m_in − m_out) / sqrt(v_in / n_in + v_out / n_out): Welch's t statistic of the contrast, n in clips.
    /// Each side's variance is shrunk towards the video's variance σ², v = (n · v_side + n0 · σ²) / (n + n0) with
    /// n0 = <see cref="InsideOutsideContrast.VariancePriorClips"/> (a one-clip span cannot claim zero variance), and
    /// floored at <see cref="InsideOutsideContrast.VarianceFloor"/> · σ² (a very uniform span, such as one shot, earns at
    /// most a bounded bonus over a moment that spans several shots with a higher mean). Like <see cref="ZScore"/> it peaks
    /// at a block of raised similarity (a sub-span loses length, a super-span loses contrast, a single noisy clip cannot
    /// beat a long consistent run), and it also penalises a span whose inside mixes high and low similarity, such as two
    /// moments and the gap between them. Unit: standard errors, comparable across queries and models.
    /// </summary>
    WelchT,

    /// <summary>
    /// (m_in − m_out) · sqrt(n_in · n_out / n) / σ: the two-sample z statistic with the video's standard deviation σ on
    /// both sides (Welch's t with n0 → ∞), the likelihood-ratio statistic of one block of raised similarity under Gaussian
    /// noise. Slightly sharper boundaries than <see cref="WelchT"/> for a single moment, but it prefers the union of two
    /// nearby moments to either of them.
    /// </summary>
    ZScore,

    /// <summary>m_in − m_out, in cosine units (the plain contrast of training-free grounding work); favours short spans on
    /// noisy curves, so it works best with a <see cref="LengthPrior"/>.</summary>
    MeanDifference,
}

/// <summary>
/// The contrast of the mean similarity inside a span against the rest of the video, plus optional length and position
/// priors (log-density terms added to the statistic, in its units). A span covering the whole video has no outside and
/// scores 0 before priors, as does every span of a flat curve.
/// </summary>
public sealed record InsideOutsideContrast : IProposalScorer
{
    public static InsideOutsideContrast Default { get; } = new();

    public ContrastStatistic Statistic { get; init; } = ContrastStatistic.WelchT;

    /// <summary>Lower bound of each side's variance as a fraction of the video's (<see cref="ContrastStatistic.WelchT"/>), in [0, 1].</summary>
    public double VarianceFloor
    {
        get;
        init => field = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be in [0, 1]");
    } = 0.5;

    /// <summary>Pseudo-clips of the video's variance added to each side's variance (<see cref="ContrastStatistic.WelchT"/>).</summary>
    public double VariancePriorClips
    {
        get;
        init => field = value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be positive");
    } = 2;

    /// <summary>Prior on the span's length, or null (default).</summary>
    public LengthPrior? LengthPrior { get; init; }

    /// <summary>Prior on the span's position in the video, or null (default).</summary>
    public PositionPrior? PositionPrior { get; init; }

    public double Score(SimilarityProfile profile, ClipSpan span)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var score = Contrast(profile, span);
        if (LengthPrior is { } length)
            score += length.LogDensity(profile, span);
        if (PositionPrior is { } position)
            score += position.LogDensity(profile, span);
        return score;
    }

    // Each statistic from the span's three prefix-sum differences: O(1), and this is the grounder's innermost loop.
    private double Contrast(SimilarityProfile profile, ClipSpan span)
    {
        var inside = profile.Weight(span);
        var outside = profile.TotalWeight - inside;
        if (outside <= 1e-9)
            return 0;
        var sumIn = profile.Sum(span);
        var meanIn = sumIn / inside;
        var meanOut = (profile.TotalSum - sumIn) / outside;
        var difference = meanIn - meanOut;
        if (Statistic == ContrastStatistic.MeanDifference)
            return difference;
        var sigma = profile.StandardDeviation;
        if (sigma <= 1e-12)
            return 0;
        if (Statistic == ContrastStatistic.ZScore)
            return difference * Math.Sqrt(inside * outside / profile.TotalWeight) / sigma;
        var variance = sigma * sigma;
        var squaresIn = profile.SumOfSquares(span);
        var varianceIn = Math.Max(0, squaresIn / inside - meanIn * meanIn);
        var varianceOut = Math.Max(0, (profile.TotalSumOfSquares - squaresIn) / outside - meanOut * meanOut);
        var n0 = VariancePriorClips;
        var floor = VarianceFloor * variance;
        var vIn = Math.Max(floor, (inside * varianceIn + n0 * variance) / (inside + n0));
        var vOut = Math.Max(floor, (outside * varianceOut + n0 * variance) / (outside + n0));
        return difference / Math.Sqrt(vIn / inside + vOut / outside);
    }
}
