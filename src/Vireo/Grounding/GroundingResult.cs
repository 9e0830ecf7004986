using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Grounding;

/// <summary>One grounded moment: seconds within the video, the scorer's score, the clips it spans and their mean similarity.</summary>
/// <param name="Start">Seconds, ≥ 0 (the first clip's start).</param>
/// <param name="End">Seconds, ≤ the video's duration (the last clip's end).</param>
/// <param name="Score">The proposal scorer's score (for the default scorer: Welch's t of the inside/outside contrast); ranks moments of one video.</param>
/// <param name="Clips">The clips of the moment.</param>
/// <param name="MeanSimilarity">Mean cosine similarity of its clips with the query: comparable across videos.</param>
public readonly record struct GroundedMoment(double Start, double End, double Score, ClipSpan Clips, double MeanSimilarity)
{
    public TemporalWindow Window => new(Start, End);

    public ScoredWindow ToScoredWindow() => new(Start, End, Score);
}

/// <summary>
/// The answer for one query on one video: the moments, best first (at most TopK, pairwise IoU ≤ the NMS threshold),
/// and the saliency curve. The curve is the raw cosine similarity of each clip with the query (in [−1, 1]; CLIP
/// scores cluster around 0.2–0.3); <see cref="NormalizedSaliency"/> rescales it to [0, 1] per video for display.
/// </summary>
public sealed class GroundingResult
{
    internal GroundingResult(IReadOnlyList<GroundedMoment> moments, SimilarityProfile profile, int proposalCount)
    {
        Moments = moments;
        Profile = profile;
        ProposalCount = proposalCount;
    }

    public IReadOnlyList<GroundedMoment> Moments { get; }

    /// <summary>The similarity curve and its statistics.</summary>
    public SimilarityProfile Profile { get; }

    /// <summary>Raw cosine similarity per clip (<c>pred_saliency_scores</c>).</summary>
    public ReadOnlySpan<float> Saliency => Profile.Similarities;

    /// <summary>The saliency curve min-max normalised to [0, 1].</summary>
    public float[] NormalizedSaliency() => Profile.Normalized();

    /// <summary>Proposals scored (all generators, before refinement and NMS).</summary>
    public int ProposalCount { get; }
}
