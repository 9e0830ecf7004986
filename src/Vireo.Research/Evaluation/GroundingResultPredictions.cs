using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Research.Evaluation;

/// <summary>Grounding answers as lines of the QVHighlights / Lighthouse submission format.</summary>
public static class GroundingResultPredictions
{
    /// <summary>
    /// <c>pred_relevant_windows</c> [[start, end, score], ...] best first and <c>pred_saliency_scores</c>, one raw cosine per clip.
    /// </summary>
    public static GroundingPrediction ToPrediction(this GroundingResult result, string queryId, string? videoId = null, string? query = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(queryId);
        var windows = new ScoredWindow[result.Moments.Count];
        for (var i = 0; i < windows.Length; i++)
            windows[i] = result.Moments[i].ToScoredWindow();
        var saliency = new double[result.Profile.Count];
        for (var i = 0; i < saliency.Length; i++)
            saliency[i] = result.Saliency[i];
        return new GroundingPrediction(queryId, windows) { VideoId = videoId, Query = query, SaliencyScores = saliency };
    }
}
