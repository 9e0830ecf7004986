using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Errors;

namespace Vireo.Server.Endpoints;

/// <summary>
/// The catalog of a cluster (status, listing, transcripts) from its shards, and its distributed ingest: started on paths
/// inside the roots the server may index (all of them without a body), one job at a time, stoppable; its progress and
/// failures are in the status. A server given no <see cref="IShardedIndexing"/> answers the indexing calls with 501.
/// </summary>
internal static class ClusterLibraryEndpoints
{
    private const int MaxPage = 500;

    public static RouteGroupBuilder MapClusterLibraryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/library", StatusAsync)
            .WithName("LibraryStatus")
            .WithSummary("The cluster's videos (counts over the shards that answered), the shards' roots and model, and the progress of its indexing job.");
        api.MapGet("/videos", VideosAsync)
            .WithName("Videos")
            .WithSummary("The cluster's videos, shard by shard, a page at a time.");
        api.MapGet("/videos/{id}/transcript", async (string id, string? channels, IShardedLibrary cluster, CancellationToken ct) =>
                await cluster.TranscriptAsync(ClusterMediaEndpoints.Key(id), channels is null ? null : LibraryEndpoints.TranscriptChannels(channels), ct).ConfigureAwait(false))
            .WithName("Transcript")
            .WithSummary("What is said and written in one video, from the silo that holds it.");
        api.MapPost("/indexing/start", ([FromBody] IndexingRequest? request, [FromServices] IShardedIndexing? indexing) =>
                indexing is null ? NotOffered() : Results.Accepted("/api/library", indexing.Start(request?.Paths)))
            .WithName("StartIndexing")
            .WithSummary("Starts indexing paths inside the server's index roots (all of them without a body) over the cluster's silos, in the background.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/indexing/stop", ([FromServices] IShardedIndexing? indexing) => indexing is null ? NotOffered() : Results.Ok(indexing.RequestStop()))
            .WithName("StopIndexing")
            .WithSummary("Stops the running indexing job; videos already committed stay indexed.");
        return api;
    }

    private static async Task<LibraryStatus> StatusAsync(IShardedLibrary cluster, [FromServices] IShardedIndexing? indexing, CancellationToken ct)
    {
        var status = await cluster.StatusAsync(ct).ConfigureAwait(false);
        return indexing is null ? status : status with { Indexing = indexing.Status };
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

    private static IResult NotOffered() => Results.Problem(statusCode: StatusCodes.Status501NotImplemented, title: "not offered by this server",
        detail: "this server was started without the cluster's indexing: use 'vireo cluster index', or 'vireo serve --cluster --index-root DIR'");
}
