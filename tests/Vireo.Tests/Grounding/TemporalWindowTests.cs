using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Tests.Grounding;

public class TemporalWindowTests
{
    [Theory]
    [InlineData(0, 10, 5, 15, 5.0 / 15)]     // partial overlap
    [InlineData(0, 10, 0, 10, 1)]            // identical
    [InlineData(0, 10, 2, 4, 0.2)]           // contained
    [InlineData(0, 10, 10, 20, 0)]           // touching
    [InlineData(0, 10, 12, 20, 0)]           // disjoint
    [InlineData(3, 3, 0, 10, 0)]             // zero-length inside: empty intersection
    [InlineData(3, 3, 3, 3, 0)]              // two zero-length windows: empty union is IoU 0
    [InlineData(-5, 10, 0, 10, 10.0 / 15)]   // reaching before the video start: not clipped
    [InlineData(30, 40, 20, 31, 1.0 / 20)]   // reaching past a 31-s video's end: not clipped
    public void IoU_by_hand(double s1, double e1, double s2, double e2, double expected)
    {
        var a = new TemporalWindow(s1, e1);
        var b = new TemporalWindow(s2, e2);

        Assert.Equal(expected, a.IoU(b), 12);
        Assert.Equal(expected, b.IoU(a), 12);
    }

    [Fact]
    public void Validity_and_length()
    {
        Assert.True(new TemporalWindow(1, 1).IsValid);
        Assert.False(new TemporalWindow(2, 1).IsValid);
        Assert.False(new TemporalWindow(double.NaN, 1).IsValid);
        Assert.Equal(-1, new TemporalWindow(2, 1).Length);
        Assert.Equal(4, new TemporalWindow(1, 6).Intersection(new(2, 10)));
    }
}

public class TemporalNmsTests
{
    [Fact]
    public void Greedy_by_score_suppresses_strictly_above_threshold()
    {
        ScoredWindow[] windows =
        [
            new(0, 10, 0.5),
            new(0, 9, 0.9),    // best
            new(5, 15, 0.8),   // IoU with [0,9] = 4/15 = 0.267 → kept at 0.4
            new(1, 10, 0.7),   // IoU with [0,9] = 8/10 = 0.8 → suppressed
            new(20, 30, 0.1),
        ];

        var kept = TemporalNms.Apply(windows, 0.4);

        Assert.Equal([new(0, 9, 0.9), new(5, 15, 0.8), new(20, 30, 0.1)], kept);
    }

    [Fact]
    public void IoU_equal_to_threshold_survives()
    {
        // [0,10] and [5,15]: IoU 5/15 = 1/3 exactly.
        var kept = TemporalNms.Apply([new(0, 10, 1), new(5, 15, 0.5)], 1.0 / 3);

        Assert.Equal(2, kept.Length);
        Assert.Single(TemporalNms.Apply([new(0, 10, 1), new(5, 15, 0.5)], 0.33));
    }

    [Fact]
    public void Ties_keep_input_order_and_duplicates_collapse()
    {
        var kept = TemporalNms.Apply([new(0, 5, 1), new(0, 5, 1), new(10, 20, 1), new(0, 5, 0.5)], 0.5);

        Assert.Equal([new(0, 5, 1), new(10, 20, 1)], kept);
    }

    [Fact]
    public void Max_count_stops_early_and_empty_input_gives_nothing()
    {
        var kept = TemporalNms.Apply([new(0, 1, 3), new(2, 3, 2), new(4, 5, 1)], 0.5, maxCount: 2);

        Assert.Equal([new(0, 1, 3), new(2, 3, 2)], kept);
        Assert.Empty(TemporalNms.Apply([], 0.5, 10));
    }
}
