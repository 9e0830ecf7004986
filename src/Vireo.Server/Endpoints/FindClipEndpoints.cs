using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Grounding;
using Vireo.Library;
using Vireo.Relocalization;
using Vireo.Retrieval;
using Vireo.Server.Security;
using Vireo.Temporal;

namespace Vireo.Server.Endpoints;

/// <summary>Where else a stretch of one library video occurs in the library.</summary>
/// <param name="VideoId">The video the query clip is cut from (from search or /api/videos).</param>
/// <param name="Start">Start of the query clip in seconds (default 0).</param>
/// <param name="End">End of the query clip in seconds (default: the end of the video).</param>
/// <param name="Top">Matches to return (at most the server's limit).</param>
/// <param name="MinScore">Reporting threshold on the calibrated score; at least the server's.</param>
public sealed record FindClipRequest(long VideoId, double? Start = null, double? End = null, int? Top = null, double? MinScore = null);

/// <summary>The query clip and where it occurs, best first; the query's own span is not reported.</summary>
public sealed record FindClipResponse(QueryClip Query, double MinScore, int Candidates, IReadOnlyList<ClipMatchResult> Matches, RelocalizationTimings TimingsMs);

/// <summary>The stretch of a library video that was looked for.</summary>
public sealed record QueryClip(long VideoId, string Name, double Start, double End);

/// <summary>One occurrence: [start, end] seconds in a video, the calibrated score, and how fast the query plays there.</summary>
public sealed record ClipMatchResult(int Rank, long VideoId, string Name, double Start, double End, double Score, double Speed, string Thumbnail, string Stream);

/// <summary>POST /api/find-clip: video → moments (video re-localization) for a stretch of a library video.</summary>
internal static class FindClipEndpoints
{
    /// <summary>The longest query clip: it is decoded and encoded at the fine step on every request.</summary>
    internal const double MaxQuerySeconds = 600;

    public static RouteGroupBuilder MapFindClipEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/find-clip", FindClipAsync)
            .WithName("FindClip")
            .WithSummary("Finds where a stretch of a library video occurs elsewhere in the library (near-duplicates, replays), with [start, end] and score per match.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> FindClipAsync(FindClipRequest request, VideoLibrary library, RootsGuard guard, Relocalizer relocalizer, CancellationToken ct)
    {
        var top = SearchEndpoints.Limit(request.Top, relocalizer.Options.TopK, 1, "top");
        var minScore = request.MinScore ?? relocalizer.Options.MinScore;
        if (!(minScore >= relocalizer.Options.MinScore && minScore <= 1))
            throw new ArgumentException($"min_score must be between the server's threshold {relocalizer.Options.MinScore} and 1");
        if (MediaEndpoints.Locate(request.VideoId, library, guard, out var located) is { } refused)
            return refused;
        var video = located!.Value.Video;
        var span = new TemporalWindow(request.Start ?? 0, request.End ?? video.Duration);
        if (!(span.Start >= 0 && span.End > span.Start && double.IsFinite(span.End)))
            throw new ArgumentException("start and end must be finite seconds with 0 ≤ start < end");
        if (span.Length > MaxQuerySeconds)
            throw new ArgumentException($"the query clip may be at most {MaxQuerySeconds} s long");

        // The catalog's path, not the resolved one, so that the query's own span in its video is recognised.
        var answer = await relocalizer.FindAsync(video.Path, span, ct).ConfigureAwait(false);
        var matches = new List<ClipMatchResult>(Math.Min(top, answer.Matches.Count));
        foreach (var match in answer.Matches)
        {
            if (matches.Count == top)
                break;
            if (match.Score < minScore)
                continue;
            matches.Add(new ClipMatchResult(matches.Count + 1, match.VideoId, Path.GetFileName(match.Path), SearchJson.Round(match.Start), SearchJson.Round(match.End),
                SearchJson.Round(match.Score), SearchJson.Round(match.Speed), MediaEndpoints.ThumbnailUrl(match.VideoId, match.Start), MediaEndpoints.StreamUrl(match.VideoId)));
        }
        var query = new QueryClip(video.Id, Path.GetFileName(video.Path), SearchJson.Round(span.Start), SearchJson.Round(span.End));
        return Results.Ok(new FindClipResponse(query, minScore, answer.Candidates, matches, answer.Timings));
    }
}
