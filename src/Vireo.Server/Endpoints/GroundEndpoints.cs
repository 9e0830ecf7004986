using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Errors;
using Vireo.Server.Configuration;

namespace Vireo.Server.Endpoints;

/// <summary>POST /api/ground: video + text → moments and saliency, from the video's stored clip embeddings.</summary>
internal static class GroundEndpoints
{
    private const int MaxMoments = 20;

    public static RouteGroupBuilder MapGroundEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/ground", Ground)
            .WithName("Ground")
            .WithSummary("Finds the [start, end] moments of one library video where a sentence happens, with its per-clip saliency.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static GroundAnswer Ground(GroundRequest request, VireoEngine engine, ServerOptions options, CancellationToken ct)
    {
        var videoId = FindClipEndpoints.LocalId(request.VideoId);
        var top = SearchEndpoints.Limit(request.Top, MaxMoments, 1, "top");
        var grounded = engine.Ground(videoId, request.Query ?? "", options.Search.Grounder, ct);
        return GroundAnswers.Remote(grounded.Query, videoId, grounded.Path, grounded.Duration, grounded.ClipLength, grounded.Result, top);
    }
}
