using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Grounding.Scoring;

/// <summary>
/// Scores a proposal (a clip span) for one query from the query's similarity curve; higher is better. Called once per
/// proposal and again during boundary refinement, so it must be O(1): read span statistics from the
/// <see cref="SimilarityProfile"/> (prefix sums), never loop over the clips.
/// </summary>
public interface IProposalScorer
{
    double Score(SimilarityProfile profile, ClipSpan span);
}
