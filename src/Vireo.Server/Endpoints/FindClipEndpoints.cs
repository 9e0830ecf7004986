using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Errors;
using Vireo.Library;
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
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    /// <summary>The request's match count and threshold, checked against the server's.</summary>
    internal static (int Top, double MinScore) Limits(FindClipRequest request, ServerOptions options)
    {
        var limits = options.Relocalization;
        var top = SearchEndpoints.Limit(request.Top, limits.TopK, 1, "top");
        var minScore = request.MinScore ?? limits.MinScore;
        if (!(minScore >= limits.MinScore && minScore <= 1))
            throw new UsageException($"min_score must be between the server's threshold {limits.MinScore} and 1");
        return (top, minScore);
    }

    /// <summary>The answer when every find-clip slot is taken: 503 with Retry-After, at once.</summary>
    internal static IResult Busy(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "busy",
            detail: "the server is already finding as many clips as it has cores: try again in a few seconds");
    }

    /// <summary>The catalog id a request names (a cluster's shard-qualified id names no video of one library).</summary>
    internal static long LocalId(VideoKey? requested) => requested switch
    {
        null => throw new UsageException("video_id is required"),
        { Shard: null } key => key.Id,
        { } key => throw new InputException(null, $"the library has no video {key}", ErrorKind.NotFound),
    };

    private static async Task<IResult> FindClipAsync(FindClipRequest request, VireoEngine engine, ServerOptions options, RootsGuard guard, FindClipGate gate, HttpContext context,
        CancellationToken ct)
    {
        var (top, minScore) = Limits(request, options);
        var limits = options.Relocalization;
        var videoId = LocalId(request.VideoId);
        if (MediaEndpoints.Locate(videoId, guard, out var located) is { } refused)
            return refused;
        var video = located!.Value.Video;
        var span = new TemporalWindow(request.Start ?? 0, request.End ?? video.Duration);
        using var slot = gate.TryEnter();
        if (slot is null)
            return Busy(context);

        // The catalog's path, not the resolved one, so that the query's own span in its video is recognised.
        var answer = await engine.FindClipAsync(video.Path, span, limits with { MaxQuerySeconds = Math.Min(limits.MaxQuerySeconds, MaxQuerySeconds) }, ct)
            .ConfigureAwait(false);
        return Results.Ok(FindClipAnswers.Remote(answer, video.Id, span, minScore, top, MediaEndpoints.Links));
    }
}
