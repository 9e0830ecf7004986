using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Server.Configuration;

namespace Vireo.Server.Endpoints;

/// <summary>
/// Streaming (with byte ranges) and thumbnails of a cluster's videos, from the silo that holds each one: the file is
/// read a chunk per grain call as the response is written, so memory stays bounded. Same answers, statuses and roots
/// rule as for one library (the silo's <see cref="Library.RootsGuard"/> decides).
/// </summary>
internal static class ClusterMediaEndpoints
{
    public static RouteGroupBuilder MapClusterMediaEndpoints(this RouteGroupBuilder api)
    {
        api.MapMethods("/videos/{id}/stream", [HttpMethods.Get, HttpMethods.Head], StreamAsync)
            .WithName("StreamVideo")
            .WithSummary("The video file, from the silo that holds it, with range requests (206 Partial Content) for seeking.");
        api.MapMethods("/videos/{id}/thumbnail", [HttpMethods.Get, HttpMethods.Head], ThumbnailAsync)
            .WithName("Thumbnail")
            .WithSummary("A JPEG frame of the video at t seconds, w pixels wide, made and cached by the silo that holds it.");
        return api;
    }

    /// <summary>The video a route names; a malformed id names none (404).</summary>
    internal static VideoKey Key(string id) =>
        VideoKey.TryParse(id, out var key) ? key : throw new Errors.InputException(null, $"no video has the id {id}", Errors.ErrorKind.NotFound);

    private static async Task<IResult> StreamAsync(string id, IShardedLibrary cluster, HttpContext context, CancellationToken ct)
    {
        var key = Key(id);
        var file = await cluster.OpenAsync(key, ct).ConfigureAwait(false);
        if (MediaEndpoints.Refusal(file.State, key) is { } refused)
            return refused;
        MediaEndpoints.IgnoreOtherRangeUnits(context);
        return Results.Stream(file.Content!, MediaEndpoints.ContentType(file.Name), lastModified: file.LastModified,
            entityTag: MediaEndpoints.EntityTag(file.ContentHash), enableRangeProcessing: true);
    }

    private static async Task<IResult> ThumbnailAsync(string id, double? t, int? w, IShardedLibrary cluster, ServerOptions options, HttpContext context, CancellationToken ct)
    {
        var key = Key(id);
        var width = MediaEndpoints.ThumbnailWidth(w, t, options);
        var thumbnail = await cluster.ThumbnailAsync(key, t, width, ct).ConfigureAwait(false);
        if (MediaEndpoints.Refusal(thumbnail.State, key) is { } refused)
            return refused;
        context.Response.Headers.CacheControl = "private, max-age=86400";
        return Results.File(thumbnail.Jpeg!, "image/jpeg");
    }
}
