using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Errors;
using Vireo.Retrieval;
using Vireo.Server.Configuration;
using Vireo.Server.Security;

namespace Vireo.Server.Endpoints;

/// <summary>
/// Search, ground and find-clip against a cluster (<see cref="IShardedLibrary"/>): the same routes, requests and limits
/// as for one library; video ids are shard-qualified, and an answer made without a shard names it (<c>missing_shards</c>).
/// </summary>
internal static class ClusterQueryEndpoints
{
    private const int MaxMoments = 20;

    public static RouteGroupBuilder MapClusterQueryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/search", (string? q, int? top, int? moments, string? channels, IShardedLibrary cluster, ServerOptions options, CancellationToken ct) =>
                SearchAsync(cluster, options, new SearchRequest(q, top, moments, channels), ct))
            .WithName("Search")
            .WithSummary("Ranks the cluster's videos for a sentence, with each video's moments and saliency curve; shards that did not answer are named.");
        api.MapPost("/search", (SearchRequest request, IShardedLibrary cluster, ServerOptions options, CancellationToken ct) => SearchAsync(cluster, options, request, ct))
            .WithName("SearchPost")
            .WithSummary("The same search, with the query in a JSON body.");
        api.MapPost("/ground", GroundAsync)
            .WithName("Ground")
            .WithSummary("Finds the moments of one video of the cluster where a sentence happens, on the silo that holds it.");
        api.MapPost("/find-clip", FindClipAsync)
            .WithName("FindClip")
            .WithSummary("Finds where a stretch of a video occurs elsewhere in the cluster; shards that did not answer are named.");
        return api;
    }

    private static Task<SearchAnswer> SearchAsync(IShardedLibrary cluster, ServerOptions options, SearchRequest request, CancellationToken ct) =>
        SearchEndpoints.AnswerAsync(request, options, MediaEndpoints.ClusterLinks, cluster.SearchAsync, ct);

    private static Task<GroundAnswer> GroundAsync(GroundRequest request, IShardedLibrary cluster, ServerOptions options, CancellationToken ct)
    {
        var video = request.VideoId ?? throw new UsageException("video_id is required");
        var top = SearchEndpoints.Limit(request.Top, MaxMoments, 1, "top");
        return cluster.GroundAsync(video, LibrarySearcher.ValidateQuery(request.Query, options.Search.MaxQueryLength), top, options.Search.GrounderName, ct);
    }

    private static async Task<IResult> FindClipAsync(FindClipRequest request, IShardedLibrary cluster, ServerOptions options, FindClipGate gate, HttpContext context,
        CancellationToken ct)
    {
        var (top, minScore) = FindClipEndpoints.Limits(request, options);
        var video = request.VideoId ?? throw new UsageException("video_id is required");
        using var slot = gate.TryEnter();
        if (slot is null)
            return FindClipEndpoints.Busy(context);
        var limits = options.Relocalization with { MaxQuerySeconds = Math.Min(options.Relocalization.MaxQuerySeconds, FindClipEndpoints.MaxQuerySeconds) };
        var found = await cluster.FindClipAsync(video, request.Start, request.End, limits, ct).ConfigureAwait(false);
        return Results.Ok(FindClipAnswers.Remote(found.Result, video, found.Span, minScore, top, MediaEndpoints.ClusterLinks));
    }
}
