using Vireo.Grounding;
using Vireo.Grounding.Scoring;
using Vireo.Media;
using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Tests.Grounding;

/// <summary>The similarity profile's prefix sums and the inside/outside scorer against direct loops over the clips.</summary>
public class ProposalScoringTests
{
    // 10.6 s in 2-s clips: 6 clips, the last 0.6 s long (weight 0.3).
    private static readonly ClipGrid PartialGrid = new(10.6, 2);
    private static readonly float[] Curve = [0.10f, 0.32f, 0.35f, 0.30f, 0.12f, 0.40f];

    private static IEnumerable<ClipSpan> AllSpans(int n)
    {
        for (var s = 0; s < n; s++)
        {
            for (var e = s + 1; e <= n; e++)
                yield return new ClipSpan(s, e);
        }
    }

    /// <summary>Duration-weighted mean and (population) variance of the clips in or out of a span, by direct loops.</summary>
    private static (double Mean, double Variance, double Weight) Naive(float[] curve, ClipGrid grid, ClipSpan span, bool inside)
    {
        double sum = 0, weight = 0;
        for (var i = 0; i < curve.Length; i++)
        {
            if ((i >= span.Start && i < span.End) != inside)
                continue;
            var w = grid[i].Length / grid.ClipLength;
            sum += w * curve[i];
            weight += w;
        }
        var mean = sum / weight;
        double squares = 0;
        for (var i = 0; i < curve.Length; i++)
        {
            if ((i >= span.Start && i < span.End) == inside)
                squares += grid[i].Length / grid.ClipLength * (curve[i] - mean) * (curve[i] - mean);
        }
        return (mean, squares / weight, weight);
    }

    [Fact]
    public void Prefix_sums_match_direct_loops_with_a_partial_last_clip()
    {
        var profile = SimilarityProfile.FromSimilarities(Curve, PartialGrid);
        var all = Naive(Curve, PartialGrid, new ClipSpan(0, 6), inside: true);

        Assert.Equal(5.3, profile.TotalWeight, 12);
        Assert.Equal(all.Mean, profile.Mean, 6);
        Assert.Equal(Math.Sqrt(all.Variance), profile.StandardDeviation, 6);
        foreach (var span in AllSpans(Curve.Length))
        {
            var inside = Naive(Curve, PartialGrid, span, inside: true);
            Assert.Equal(inside.Weight, profile.Weight(span), 12);
            Assert.Equal(inside.Mean, profile.MeanInside(span), 6);
            Assert.Equal(inside.Variance, profile.VarianceInside(span), 6);
            if (span.Length == Curve.Length)
            {
                Assert.True(double.IsNaN(profile.MeanOutside(span)));
                continue;
            }
            var outside = Naive(Curve, PartialGrid, span, inside: false);
            Assert.Equal(outside.Mean, profile.MeanOutside(span), 6);
            Assert.Equal(outside.Variance, profile.VarianceOutside(span), 6);
        }
    }

    [Fact]
    public void Each_statistic_matches_its_formula_on_every_span()
    {
        var profile = SimilarityProfile.FromSimilarities(Curve, PartialGrid);
        var sigma = Math.Sqrt(Naive(Curve, PartialGrid, new ClipSpan(0, 6), inside: true).Variance);
        var welch = new InsideOutsideContrast();
        var z = new InsideOutsideContrast { Statistic = ContrastStatistic.ZScore };
        var difference = new InsideOutsideContrast { Statistic = ContrastStatistic.MeanDifference };
        foreach (var span in AllSpans(Curve.Length - 1)) // spans with an outside
        {
            var (mIn, vIn, nIn) = Naive(Curve, PartialGrid, span, inside: true);
            var (mOut, vOut, nOut) = Naive(Curve, PartialGrid, span, inside: false);
            var n0 = 2.0;
            var shrunkIn = Math.Max(0.5 * sigma * sigma, (nIn * vIn + n0 * sigma * sigma) / (nIn + n0));
            var shrunkOut = Math.Max(0.5 * sigma * sigma, (nOut * vOut + n0 * sigma * sigma) / (nOut + n0));

            Assert.Equal(mIn - mOut, difference.Score(profile, span), 6);
            Assert.Equal((mIn - mOut) / (sigma * Math.Sqrt(1 / nIn + 1 / nOut)), z.Score(profile, span), 5);
            Assert.Equal((mIn - mOut) / Math.Sqrt(shrunkIn / nIn + shrunkOut / nOut), welch.Score(profile, span), 5);
        }
    }

    [Fact]
    public void Whole_video_and_flat_curves_score_zero()
    {
        var profile = SimilarityProfile.FromSimilarities(Curve, PartialGrid);
        var flat = SimilarityProfile.FromSimilarities([0.2f, 0.2f, 0.2f, 0.2f], new ClipGrid(8, 2));
        foreach (var statistic in Enum.GetValues<ContrastStatistic>())
        {
            var scorer = new InsideOutsideContrast { Statistic = statistic };
            Assert.Equal(0, scorer.Score(profile, new ClipSpan(0, 6)));
            Assert.Equal(0, scorer.Score(flat, new ClipSpan(1, 3)));
        }
    }

    [Fact]
    public void The_raised_block_scores_highest_of_all_spans()
    {
        float[] curve = [0.1f, 0.12f, 0.09f, 0.3f, 0.31f, 0.29f, 0.3f, 0.11f, 0.1f, 0.12f];
        var profile = SimilarityProfile.FromSimilarities(curve, new ClipGrid(20, 2));
        foreach (var statistic in new[] { ContrastStatistic.WelchT, ContrastStatistic.ZScore })
        {
            var scorer = new InsideOutsideContrast { Statistic = statistic };
            Assert.Equal(new ClipSpan(3, 7), AllSpans(10).MaxBy(s => scorer.Score(profile, s)));
        }
    }

    [Fact]
    public void Priors_add_their_log_densities()
    {
        var profile = SimilarityProfile.FromSimilarities(Curve, PartialGrid);
        var span = new ClipSpan(1, 3); // 4 s of 10.6 s, centre 4 s
        var plain = new InsideOutsideContrast().Score(profile, span);
        var length = new LengthPrior(preferred: 0.2, logWidth: 0.5, weight: 2);
        var position = new PositionPrior(center: 0.25, width: 0.1, weight: 3);
        var expectedLength = -2 * Math.Pow(Math.Log(4 / 10.6 / 0.2) / 0.5, 2) / 2;
        var expectedPosition = -3 * Math.Pow((4 / 10.6 - 0.25) / 0.1, 2) / 2;

        Assert.Equal(expectedLength, length.LogDensity(profile, span), 12);
        Assert.Equal(expectedPosition, position.LogDensity(profile, span), 12);
        Assert.Equal(plain + expectedLength + expectedPosition, new InsideOutsideContrast { LengthPrior = length, PositionPrior = position }.Score(profile, span), 12);
        Assert.Equal(0, new LengthPrior(4, relativeToDuration: false).LogDensity(profile, span), 12); // 4 s preferred, 4 s long
        // The partial last clip counts 0.6 s: a 2-clip span at the end is 2.6 s.
        Assert.Equal(0, new LengthPrior(2.6, relativeToDuration: false).LogDensity(profile, new ClipSpan(4, 6)), 12);
    }

    [Fact]
    public void A_length_prior_moves_the_best_span_towards_the_preferred_length()
    {
        float[] curve = [0.1f, 0.12f, 0.09f, 0.3f, 0.31f, 0.29f, 0.3f, 0.11f, 0.1f, 0.12f];
        var profile = SimilarityProfile.FromSimilarities(curve, new ClipGrid(20, 2));
        var scorer = new InsideOutsideContrast { LengthPrior = new LengthPrior(2, logWidth: 0.2, weight: 20, relativeToDuration: false) };

        Assert.Equal(1, AllSpans(10).MaxBy(s => scorer.Score(profile, s)).Length);
    }

    [Fact]
    public void Bad_prior_and_curve_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthPrior(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LengthPrior(0.2, logWidth: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PositionPrior(width: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InsideOutsideContrast { VariancePriorClips = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new InsideOutsideContrast { VarianceFloor = 1.5 });
        var nan = Assert.Throws<ArgumentException>(() => SimilarityProfile.FromSimilarities([0.1f, float.NaN], new ClipGrid(4, 2)));
        Assert.Contains("clip 1", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SimilarityProfile.FromSimilarities([0.1f], new ClipGrid(4, 2)));
    }

    [Fact]
    public void Normalised_curve_and_background_fill()
    {
        var profile = SimilarityProfile.FromSimilarities([0.1f, 0.3f, 0.2f, 0.5f], new ClipGrid(8, 2));

        Assert.Equal([0, 0.5f, 0.25f, 1], profile.Normalized(), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal([0, 0, 0], SimilarityProfile.FromSimilarities([0.3f, 0.3f, 0.3f], new ClipGrid(6, 2)).Normalized());
        var explained = profile.WithBackground([new ClipSpan(1, 2), new ClipSpan(3, 4)]);
        Assert.Equal([0.1f, 0.15f, 0.2f, 0.15f], explained.Similarities.ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }
}
