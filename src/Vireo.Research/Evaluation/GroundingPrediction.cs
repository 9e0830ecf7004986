using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Research.Evaluation;

/// <summary>
/// A method's answer for one query, as a line of the QVHighlights submission format carries it: the query id, the
/// query and video (informative), the predicted windows with scores in the method's own order, and optionally a
/// saliency score per 2-second clip.
/// </summary>
public sealed record GroundingPrediction(string QueryId, IReadOnlyList<ScoredWindow> Windows)
{
    /// <summary>The query sentence (<c>query</c>), when given.</summary>
    public string? Query { get; init; }

    /// <summary>The video id (<c>vid</c>), when given.</summary>
    public string? VideoId { get; init; }

    /// <summary>One score per clip of the video (<c>pred_saliency_scores</c>), or null.</summary>
    public IReadOnlyList<double>? SaliencyScores { get; init; }

    /// <summary>1-based line in the prediction file, or 0.</summary>
    public int Line { get; init; }

    /// <summary>The prediction file the line was read from, or null (built in memory); errors about the prediction name it.</summary>
    public string? Source { get; init; }
}
