using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Tests.Grounding;

public class DistinctMomentsTests
{
    private static GroundedMoment Moment(double start, double end, double score) =>
        new(start, end, score, new ClipSpan((int)(start / 2), (int)Math.Ceiling(end / 2)), score);

    [Fact]
    public void A_moment_enclosing_a_kept_one_is_dropped_even_when_it_is_mostly_new()
    {
        var moments = new[] { Moment(26, 36, 0.9), Moment(0, 36, 0.4), Moment(60, 70, 0.3) };

        var shown = DistinctMoments.Select(moments, 3);

        Assert.Equal([(26.0, 36.0), (60.0, 70.0)], shown.Select(m => (m.Start, m.End)));
    }

    [Fact]
    public void A_moment_mostly_inside_kept_ones_is_dropped_and_a_mostly_new_overlapping_one_kept()
    {
        var moments = new[] { Moment(10, 20, 0.9), Moment(12, 19, 0.8), Moment(16, 30, 0.5) };

        var shown = DistinctMoments.Select(moments, 3);

        Assert.Equal([(10.0, 20.0), (16.0, 30.0)], shown.Select(m => (m.Start, m.End)));
    }

    [Fact]
    public void The_first_moment_is_kept_whatever_its_score_and_later_ones_need_a_positive_score()
    {
        var moments = new[] { Moment(0, 4, -0.1), Moment(10, 14, 0), Moment(20, 24, 0.2) };

        var shown = DistinctMoments.Select(moments, 5);

        Assert.Equal([(0.0, 4.0), (20.0, 24.0)], shown.Select(m => (m.Start, m.End)));
    }

    [Fact]
    public void At_most_count_moments_are_kept()
    {
        var moments = new[] { Moment(0, 2, 0.9), Moment(10, 12, 0.8), Moment(20, 22, 0.7) };

        Assert.Equal(2, DistinctMoments.Select(moments, 2).Count);
    }
}
