using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Answers;

/// <summary>How answers write numbers and moments: seconds and scores to 4 decimals, moments as [start, end, score].</summary>
public static class AnswerNumbers
{
    /// <summary>To 4 decimals; a value that rounds to zero is 0, never -0.</summary>
    public static double Round(double value)
    {
        var rounded = Math.Round(value, 4);
        return rounded == 0 ? 0 : rounded;
    }

    /// <summary><c>pred_relevant_windows</c>: [[start, end, score], ...].</summary>
    public static double[][] Windows(IEnumerable<GroundedMoment> moments) =>
        [.. moments.Select(m => new[] { Round(m.Start), Round(m.End), Round(m.Score) })];

    /// <summary><c>pred_saliency_scores</c>: one value per clip.</summary>
    public static double[] Saliency(IEnumerable<float> values) => [.. values.Select(v => Round(v))];

    /// <summary>Damaged stretches as [[start, end], ...], or null when there are none (left out of the JSON).</summary>
    public static double[][]? Spans(IReadOnlyList<TemporalWindow> spans) =>
        spans.Count == 0 ? null : [.. spans.Select(s => new[] { Round(s.Start), Round(s.End) })];
}

/// <summary>How a remote client names a video, and where it fetches its thumbnail and stream (the server's routes).</summary>
public interface IMediaLinks
{
    /// <summary>The client's name for video <paramref name="videoId"/> of <paramref name="shard"/>: the bare id for one library, qualified by its shard in a cluster.</summary>
    VideoKey Key(string? shard, long videoId);

    string Thumbnail(VideoKey video, double seconds);

    string Stream(VideoKey video);
}
