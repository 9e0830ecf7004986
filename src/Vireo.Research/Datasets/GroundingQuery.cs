using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Research.Datasets;

/// <summary>
/// One grounding query of any benchmark, in seconds: the sentence, the video it is about, the video's duration and
/// the ground-truth windows (one for Charades-STA, TACoS and ActivityNet Captions; one per annotator for DiDeMo;
/// one or more for QVHighlights; none for a test split released without ground truth).
/// </summary>
/// <param name="QueryId">The query's id: QVHighlights' <c>qid</c>, DiDeMo's <c>annotation_id</c>, otherwise the query's
/// 0-based position in the file (records skipped as faulty keep their number, so ids do not depend on the policy).</param>
/// <param name="VideoId">The video's id as the annotation file spells it.</param>
/// <param name="Duration">The video's duration in seconds.</param>
/// <param name="Sentence">The query sentence.</param>
/// <param name="Windows">Ground-truth windows in seconds, in file order.</param>
public sealed record GroundingQuery(string QueryId, string VideoId, double Duration, string Sentence, IReadOnlyList<TemporalWindow> Windows)
{
    /// <summary>Per-clip saliency ratings (QVHighlights), or null.</summary>
    public SaliencyAnnotation? Saliency { get; init; }

    /// <summary>1-based line of the record in its file (for JSON objects, the line where the record starts), or 0.</summary>
    public int Line { get; init; }

    /// <summary>The annotation file the record was read from, or null (built in memory); errors about the record name it.</summary>
    public string? Source { get; init; }
}

/// <summary>
/// Saliency ratings of the clips relevant to a query (QVHighlights): for each listed clip id, one score in 0..4 per
/// rater (three raters). Clips not listed score 0. A clip is <see cref="ClipLength"/> seconds long.
/// </summary>
public sealed record SaliencyAnnotation(IReadOnlyList<int> ClipIds, IReadOnlyList<int[]> Scores)
{
    /// <summary>QVHighlights' clip length in seconds.</summary>
    public const double ClipLength = 2.0;

    /// <summary>Number of raters (columns of <see cref="Scores"/>).</summary>
    public int Raters => Scores.Count == 0 ? 3 : Scores[0].Length;

    /// <summary>
    /// Ratings for every clip of a video of <paramref name="clipCount"/> clips, row-major [clip, rater], zeros for unlisted
    /// clips. Clip ids at or past <paramref name="clipCount"/> are an error (the official script fails on them too).
    /// </summary>
    public int[,] ToFullVideo(int clipCount)
    {
        var full = new int[clipCount, Raters];
        for (var i = 0; i < ClipIds.Count; i++)
        {
            var clip = ClipIds[i];
            if ((uint)clip >= (uint)clipCount)
                throw new ArgumentOutOfRangeException(nameof(clipCount), $"relevant clip id {clip} is outside the video's {clipCount} clips");
            for (var r = 0; r < Raters; r++)
                full[clip, r] = Scores[i][r];
        }
        return full;
    }

    /// <summary>QVHighlights' clip count for a duration: int(duration / 2), as its evaluation computes it.</summary>
    public static int ClipCount(double duration) => (int)(duration / ClipLength);
}
