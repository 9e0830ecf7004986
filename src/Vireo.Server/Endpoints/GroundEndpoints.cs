using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Grounding;
using Vireo.Library;
using Vireo.Models;
using Vireo.Retrieval;

namespace Vireo.Server.Endpoints;

/// <summary>Where in one library video a sentence happens.</summary>
/// <param name="VideoId">The video's id in the library (from search or /api/videos).</param>
/// <param name="Query">What to look for, in words.</param>
/// <param name="Top">Moments to return.</param>
public sealed record GroundRequest(long VideoId, string? Query, int? Top = null);

/// <summary>The moments of one video in the QVHighlights / Lighthouse form.</summary>
public sealed record GroundResponse(string Query, long VideoId, string Name, double Duration, double ClipLength, double[][] PredRelevantWindows, double[] PredSaliencyScores);

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

    private static IResult Ground(GroundRequest request, VideoLibrary library, EmbeddingModel model, ServerOptions options, CancellationToken ct)
    {
        var text = LibrarySearcher.ValidateQuery(request.Query, options.Search.MaxQueryLength);
        var top = SearchEndpoints.Limit(request.Top, MaxMoments, 1, "top");
        if (library.Find(request.VideoId) is not { Status: VideoStatus.Indexed } row)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "no such video", detail: $"the library has no indexed video {request.VideoId}");
        var clips = new GroundingVideo(library.ReadClips(row.Id), new Vireo.Temporal.ClipGrid(row.Duration, row.ClipLength));
        var result = new ZeroShotGrounder(options.Search.Grounding).Ground(clips, model.Text.Encode(text), ct);
        return Results.Ok(new GroundResponse(text, row.Id, Path.GetFileName(row.Path), row.Duration, row.ClipLength,
            SearchJson.Windows(DistinctMoments.Select(result.Moments, top)), SearchJson.Saliency(result.Saliency.ToArray())));
    }
}
