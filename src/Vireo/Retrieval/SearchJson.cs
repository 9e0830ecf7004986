using System.Text.Json.Serialization;
using Vireo.Grounding;
using Vireo.Library;
using Vireo.Models;

namespace Vireo.Retrieval;

/// <summary>
/// The JSON of search and ground answers: per video the QVHighlights / Lighthouse fields
/// (<c>pred_relevant_windows</c> [[start, end, score], ...] in seconds, <c>pred_saliency_scores</c> one per clip),
/// shared by the command line's <c>--json</c> output and the server's API.
/// </summary>
public static class SearchJson
{
    public static object From(SearchResult answer, VideoLibrary library, ModelIdentity model) => new
    {
        query = answer.Query,
        library = library.Directory,
        model = model.Name,
        results = answer.Videos.Select((hit, i) => new
        {
            rank = i + 1,
            vid = hit.Path,
            video_id = hit.VideoId,
            duration = hit.Duration,
            score = hit.Score,
            scores = new { mean_pooled = hit.Match.MeanPooled, best_clip = hit.Match.BestClip, best_event = double.IsNaN(hit.Match.BestEvent) ? (double?)null : hit.Match.BestEvent },
            clip_length = hit.ClipLength,
            pred_relevant_windows = Windows(hit.Moments),
            pred_saliency_scores = Saliency(hit.Saliency),
        }),
        moments = answer.Moments.Select(m => new { vid = m.Path, video_id = m.VideoId, start = Round(m.Start), end = Round(m.End), score = Round(m.Score) }),
        timings_ms = answer.Timings,
    };

    /// <summary>One prediction in QVHighlights' submission form (what <c>vireo ground</c> prints).</summary>
    public static object Prediction(string query, string video, double duration, GroundingResult result, int top) => new Ground(
        query, video, duration, Windows(DistinctMoments.Select(result.Moments, top)), Saliency(result.Saliency.ToArray()));

    public static double[][] Windows(IEnumerable<GroundedMoment> moments) =>
        [.. moments.Select(m => new[] { Round(m.Start), Round(m.End), Round(m.Score) })];

    public static double[] Saliency(IEnumerable<float> values) => [.. values.Select(v => Round(v))];

    public static double Round(double value) => Math.Round(value, 4);

    private sealed record Ground(
        string Query,
        string Vid,
        double Duration,
        [property: JsonPropertyName("pred_relevant_windows")] double[][] PredRelevantWindows,
        [property: JsonPropertyName("pred_saliency_scores")] double[] PredSaliencyScores);
}
