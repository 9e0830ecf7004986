using Vireo.Library;
using Vireo.Models;
using Vireo.Relocalization;

namespace Vireo.Cli.Commands;

/// <summary>
/// The JSON of <c>vireo find-clip</c>: the videos with a match, best first, each with its matches as
/// <c>pred_relevant_windows</c> [[start, end, score], ...] in seconds (as search and ground print moments) and in detail.
/// </summary>
internal static class FindClipJson
{
    public static object From(RelocalizationResult answer, VideoLibrary library, ModelIdentity model, RelocalizationOptions options) => new
    {
        query = new { video = answer.QueryPath, start = Round(answer.QuerySpan.Start), end = Round(answer.QuerySpan.End) },
        library = library.Directory,
        model = model.Name,
        min_score = options.MinScore,
        candidates = answer.Candidates,
        results = answer.Matches
            .GroupBy(m => m.VideoId)
            .Select((matches, i) => new
            {
                rank = i + 1,
                vid = matches.First().Path,
                video_id = matches.Key,
                duration = library.Find(matches.Key)?.Duration,
                score = Round(matches.First().Score),
                pred_relevant_windows = matches.Select(m => new[] { Round(m.Start), Round(m.End), Round(m.Score) }).ToArray(),
                matches = matches.Select(m => new
                {
                    start = Round(m.Start),
                    end = Round(m.End),
                    score = Round(m.Score),
                    mean_similarity = Round(m.MeanSimilarity),
                    background = Round(m.Background),
                    speed = Round(m.Speed),
                    refined = m.Refined,
                }),
            }),
        timings_ms = answer.Timings,
    };

    private static double Round(double value) => Math.Round(value, 4);
}
