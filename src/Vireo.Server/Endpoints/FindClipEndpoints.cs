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
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    private static async Task<IResult> FindClipAsync(FindClipRequest request, VireoEngine engine, ServerOptions options, RootsGuard guard, FindClipGate gate, HttpContext context,
        CancellationToken ct)
    {
        var limits = options.Relocalization;
        var top = SearchEndpoints.Limit(request.Top, limits.TopK, 1, "top");
        var minScore = request.MinScore ?? limits.MinScore;
        if (!(minScore >= limits.MinScore && minScore <= 1))
            throw new UsageException($"min_score must be between the server's threshold {limits.MinScore} and 1");
        var videoId = request.VideoId ?? throw new UsageException("video_id is required");
        if (MediaEndpoints.Locate(videoId, engine.Library, guard, out var located) is { } refused)
            return refused;
        var video = located!.Value.Video;
        var span = new TemporalWindow(request.Start ?? 0, request.End ?? video.Duration);
        using var slot = gate.TryEnter();
        if (slot is null)
        {
            context.Response.Headers.RetryAfter = "5";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "busy",
                detail: "the server is already finding as many clips as it has cores: try again in a few seconds");
        }

        // The catalog's path, not the resolved one, so that the query's own span in its video is recognised.
        var answer = await engine.FindClipAsync(video.Path, span, limits with { MaxQuerySeconds = Math.Min(limits.MaxQuerySeconds, MaxQuerySeconds) }, ct)
            .ConfigureAwait(false);
        return Results.Ok(FindClipAnswers.Remote(answer, video.Id, span, minScore, top, MediaEndpoints.Links));
    }
}
