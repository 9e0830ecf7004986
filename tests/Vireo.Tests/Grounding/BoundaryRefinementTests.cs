using Vireo.Grounding;
using Vireo.Grounding.Scoring;
using Vireo.Media;
using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Tests.Grounding;

public class BoundaryRefinementTests
{
    private static readonly float[] Step = [0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f];

    [Theory]
    [InlineData(0, 8)]   // starts early, ends early
    [InlineData(7, 15)]  // starts late, ends late
    [InlineData(8, 9)]   // a single clip inside
    [InlineData(2, 18)]  // much too long
    public void Hill_climbing_lands_on_the_raised_block(int start, int end)
    {
        var profile = SimilarityProfile.FromSimilarities(Step, new ClipGrid(40, 2));

        var (span, score) = BoundaryRefinement.Refine(InsideOutsideContrast.Default, profile, new ClipSpan(start, end), maxSpanClips: 20, maxSteps: 32);

        Assert.Equal(new ClipSpan(5, 11), span);
        Assert.Equal(InsideOutsideContrast.Default.Score(profile, span), score);
    }

    [Fact]
    public void Refinement_respects_the_step_budget_and_the_maximum_span()
    {
        var profile = SimilarityProfile.FromSimilarities(Step, new ClipGrid(40, 2));

        Assert.Equal(new ClipSpan(16, 18), BoundaryRefinement.Refine(InsideOutsideContrast.Default, profile, new ClipSpan(16, 18), 20, maxSteps: 0).Span);
        Assert.Equal(4, BoundaryRefinement.Refine(InsideOutsideContrast.Default, profile, new ClipSpan(6, 8), maxSpanClips: 4, maxSteps: 32).Span.Length);
    }

    [Fact]
    public void The_nms_rule_alone_matches_the_pass()
    {
        ScoredWindow[] kept = [new(0, 10, 1)];

        Assert.True(TemporalNms.IsSuppressed(new ScoredWindow(0, 9, 0.5), kept, 0.5));   // IoU 0.9
        Assert.False(TemporalNms.IsSuppressed(new ScoredWindow(0, 20, 0.5), kept, 0.5)); // IoU exactly 0.5 survives
        Assert.False(TemporalNms.IsSuppressed(new ScoredWindow(0, 9, 0.5), [], 0.5));
        Assert.Equal(2, TemporalNms.Apply([new(0, 10, 1), new(0, 9, 0.9), new(0, 20, 0.8)], 0.5).Length);
    }
}
