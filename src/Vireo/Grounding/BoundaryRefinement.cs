using Vireo.Grounding.Scoring;
using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Grounding;

/// <summary>
/// Refines a span's boundaries at clip resolution: hill climbing on the scorer's score over the six neighbouring spans
/// (start ±1, end ±1, the whole span shifted ±1), taking the best strict improvement until none is left or the step
/// budget is spent. Coarse proposals (long sliding windows, sparse map cells, events) thus end on the clips where the
/// similarity actually changes. Each step costs six O(1) scores.
/// </summary>
public static class BoundaryRefinement
{
    private static readonly (int Start, int End)[] Moves = [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1)];

    public static (ClipSpan Span, double Score) Refine(IProposalScorer scorer, SimilarityProfile profile, ClipSpan span, int maxSpanClips, int maxSteps)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(profile);
        var score = scorer.Score(profile, span);
        for (var step = 0; step < maxSteps; step++)
        {
            var best = span;
            var bestScore = score;
            foreach (var (ds, de) in Moves)
            {
                var candidate = new ClipSpan(span.Start + ds, span.End + de);
                if (!candidate.IsWithin(profile.Count) || candidate.Length > maxSpanClips)
                    continue;
                var candidateScore = scorer.Score(profile, candidate);
                if (candidateScore > bestScore)
                {
                    best = candidate;
                    bestScore = candidateScore;
                }
            }
            if (best == span)
                break;
            (span, score) = (best, bestScore);
        }
        return (span, score);
    }
}
