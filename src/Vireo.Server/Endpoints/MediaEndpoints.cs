using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;
using Vireo.Answers;
using Vireo.Errors;
using Vireo.Library;
using Vireo.Server.Configuration;

namespace Vireo.Server.Endpoints;

/// <summary>
/// GET /api/videos/{id}/stream (the file, with HTTP range requests in bytes so a browser can seek) and
/// GET /api/videos/{id}/thumbnail?t=&amp;w= (a JPEG frame); both answer HEAD too. Videos are named by catalog id, never by a path from
/// the client, and only files whose real path lies inside the library's roots are served (403 otherwise).
/// </summary>
internal static class MediaEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The routes below as links in answers.</summary>
    public static IMediaLinks Links { get; } = new RouteLinks(qualified: false);

    /// <summary>The routes as links in a cluster's answers (shard-qualified ids).</summary>
    public static IMediaLinks ClusterLinks { get; } = new RouteLinks(qualified: true);

    public static RouteGroupBuilder MapMediaEndpoints(this RouteGroupBuilder api)
    {
        api.MapMethods("/videos/{id:long}/stream", [HttpMethods.Get, HttpMethods.Head], Stream)
            .WithName("StreamVideo")
            .WithSummary("The video file, with range requests (206 Partial Content) for seeking.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapMethods("/videos/{id:long}/thumbnail", [HttpMethods.Get, HttpMethods.Head], ThumbnailAsync)
            .WithName("Thumbnail")
            .WithSummary("A JPEG frame of the video at t seconds, w pixels wide (cached).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static IResult Stream(long id, RootsGuard guard, HttpContext context)
    {
        if (Locate(id, guard, out var located) is { } refused)
            return refused;
        IgnoreOtherRangeUnits(context);
        var (video, real) = located!.Value;
        var file = new FileInfo(real);
        return Results.File(real, ContentType(real), enableRangeProcessing: true, lastModified: file.LastWriteTimeUtc, entityTag: EntityTag(video.ContentHash));
    }

    /// <summary>A <c>Range</c> in a unit other than bytes is ignored: the whole file, 200 (RFC 9110 §14.2).</summary>
    internal static void IgnoreOtherRangeUnits(HttpContext context)
    {
        if (context.Request.Headers.Range.ToString() is { Length: > 0 } range && !range.TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
            context.Request.Headers.Range = default;
    }

    internal static string ContentType(string fileName) => ContentTypes.TryGetContentType(fileName, out var known) ? known : "application/octet-stream";

    /// <summary>The ETag of a file: its content hash.</summary>
    internal static EntityTagHeaderValue EntityTag(string contentHash) => new("\"" + string.Concat(contentHash.Where(char.IsAsciiLetterOrDigit)) + "\"");

    /// <summary>The width a thumbnail request asks for, checked (the server's default when absent), and its time.</summary>
    internal static int ThumbnailWidth(int? w, double? t, ServerOptions options)
    {
        var width = w ?? options.ThumbnailWidth;
        if (width is < ThumbnailCache.MinWidth or > ThumbnailCache.MaxWidth)
            throw new UsageException($"w must be between {ThumbnailCache.MinWidth} and {ThumbnailCache.MaxWidth}");
        if (t is { } time && !(time >= 0 && double.IsFinite(time)))
            throw new UsageException("t must be a time in seconds, 0 or more");
        return width;
    }

    private static async Task<IResult> ThumbnailAsync(long id, double? t, int? w, RootsGuard guard, ThumbnailCache cache, ServerOptions options,
        HttpContext context, CancellationToken ct)
    {
        if (Locate(id, guard, out var located) is { } refused)
            return refused;
        var width = ThumbnailWidth(w, t, options);
        var (video, real) = located!.Value;
        var path = await cache.GetAsync(video, real, t ?? video.Duration / 2, width, ct).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "private, max-age=86400";
        return Results.File(path, "image/jpeg");
    }

    /// <summary>Null when the video may be served (with its catalog row and real path), else the refusal.</summary>
    internal static IResult? Locate(long id, RootsGuard guard, out (LibraryVideo Video, string RealPath)? located)
    {
        var (state, video, real) = guard.Locate(id);
        located = state == ServedFileState.Served ? (video!, real!) : null;
        return Refusal(state, new VideoKey(id));
    }

    /// <summary>The answer to a request for a file that may not be served (null when it may).</summary>
    internal static IResult? Refusal(ServedFileState state, VideoKey video) => state switch
    {
        ServedFileState.Served => null,
        ServedFileState.NoSuchVideo => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "no such video", detail: $"the library has no video {video}"),
        ServedFileState.OutsideRoots => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "outside the library's roots", detail: "this file is not inside a folder the library indexes"),
        _ => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "video file missing", detail: "the file is no longer on disk"),
    };

    /// <summary>Links to the routes of one library (bare ids) or of a cluster (shard-qualified ids).</summary>
    internal sealed class RouteLinks(bool qualified) : IMediaLinks
    {
        public VideoKey Key(string? shard, long videoId) => new(videoId, qualified ? shard : null);

        public string Stream(VideoKey video) => string.Create(CultureInfo.InvariantCulture, $"/api/videos/{video}/stream");

        public string Thumbnail(VideoKey video, double seconds) => string.Create(CultureInfo.InvariantCulture, $"/api/videos/{video}/thumbnail?t={seconds:0.#}");
    }
}
