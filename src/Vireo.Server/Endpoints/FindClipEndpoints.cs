using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Errors;
using Vireo.Server.Security;
using Vireo.Temporal;
using Vireo.Server.Configuration;

namespace Vireo.Server.Endpoints;

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

    private static async Task<IResult> FindClipAsync(FindClipRequest request, VireoEngine engine, ServerOptions options, RootsGuard guard, CancellationToken ct)
    {
        var limits = options.Relocalization;
        var top = SearchEndpoints.Limit(request.Top, limits.TopK, 1, "top");
        var minScore = request.MinScore ?? limits.MinScore;
        if (!(minScore >= limits.MinScore && minScore <= 1))
            throw new UsageException($"min_score must be between the server's threshold {limits.MinScore} and 1");
        if (MediaEndpoints.Locate(request.VideoId, engine.Library, guard, out var located) is { } refused)
            return refused;
        var video = located!.Value.Video;
        var span = new TemporalWindow(request.Start ?? 0, request.End ?? video.Duration);
        if (!(span.Start >= 0 && span.End > span.Start && double.IsFinite(span.End)))
            throw new UsageException("start and end must be finite seconds with 0 ≤ start < end");
        if (span.Length > MaxQuerySeconds)
            throw new UsageException($"the query clip may be at most {MaxQuerySeconds} s long");

        // The catalog's path, not the resolved one, so that the query's own span in its video is recognised.
        var answer = await engine.FindClipAsync(video.Path, span, limits, ct).ConfigureAwait(false);
        return Results.Ok(FindClipAnswers.Remote(answer, video.Id, span, minScore, top, MediaEndpoints.Links));
    }
}
