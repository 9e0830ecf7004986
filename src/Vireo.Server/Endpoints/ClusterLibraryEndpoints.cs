using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Errors;

namespace Vireo.Server.Endpoints;

/// <summary>
/// The catalog of a cluster (status, listing, transcripts) from its shards. Indexing through the API is not offered
/// against a cluster yet (each silo's libraries are indexed with <c>vireo index</c> on its machine): 501.
/// </summary>
internal static class ClusterLibraryEndpoints
{
    private const int MaxPage = 500;

    public static RouteGroupBuilder MapClusterLibraryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/library", (IShardedLibrary cluster, CancellationToken ct) => cluster.StatusAsync(ct))
            .WithName("LibraryStatus")
            .WithSummary("The cluster's videos (counts over the shards that answered), the shards' roots and model.");
        api.MapGet("/videos", VideosAsync)
            .WithName("Videos")
            .WithSummary("The cluster's videos, shard by shard, a page at a time.");
        api.MapGet("/videos/{id}/transcript", async (string id, string? channels, IShardedLibrary cluster, CancellationToken ct) =>
                await cluster.TranscriptAsync(ClusterMediaEndpoints.Key(id), channels is null ? null : LibraryEndpoints.TranscriptChannels(channels), ct).ConfigureAwait(false))
            .WithName("Transcript")
            .WithSummary("What is said and written in one video, from the silo that holds it.");
        api.MapPost("/indexing/start", NotAgainstACluster).WithName("StartIndexing").WithSummary("Not offered against a cluster yet (501).");
        api.MapPost("/indexing/stop", NotAgainstACluster).WithName("StopIndexing").WithSummary("Not offered against a cluster yet (501).");
        return api;
    }

    private static async Task<VideoPage> VideosAsync(int? offset, int? limit, IShardedLibrary cluster, CancellationToken ct)
    {
        var from = offset is < 0 ? throw new UsageException("offset cannot be negative") : offset ?? 0;
        var page = await cluster.VideosAsync(from, SearchEndpoints.Limit(limit, MaxPage, 1, "limit"), ct).ConfigureAwait(false);
        var links = MediaEndpoints.ClusterLinks;
        return new VideoPage(page.Total, from, [.. page.Videos.Select(v => LibraryAnswers.Entry(v.Video, links.Key(v.Shard, v.Video.Id), links))])
        {
            MissingShards = page.MissingShards.Count == 0 ? null : page.MissingShards,
        };
    }

    private static IResult NotAgainstACluster() => Results.Problem(statusCode: StatusCodes.Status501NotImplemented, title: "not against a cluster",
        detail: "indexing through the API needs distributed ingest, which a cluster does not offer yet: index each silo's libraries with 'vireo index' on its machine");
}
