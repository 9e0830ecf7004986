using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;
using Vireo.Answers;
using Vireo.Errors;
using Vireo.Library;
using Vireo.Server.Media;
using Vireo.Server.Security;
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
    public static IMediaLinks Links { get; } = new RouteLinks();

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

    private static IResult Stream(long id, VideoLibrary library, RootsGuard guard, HttpContext context)
    {
        if (Locate(id, library, guard, out var located) is { } refused)
            return refused;
        if (context.Request.Headers.Range.ToString() is { Length: > 0 } range && !range.TrimStart().StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
            context.Request.Headers.Range = default; // a unit other than bytes is ignored: the whole file, 200 (RFC 9110 §14.2)
        var (video, real) = located!.Value;
        var type = ContentTypes.TryGetContentType(real, out var known) ? known : "application/octet-stream";
        var file = new FileInfo(real);
        return Results.File(real, type, enableRangeProcessing: true, lastModified: file.LastWriteTimeUtc,
            entityTag: new EntityTagHeaderValue("\"" + string.Concat(video.ContentHash.Where(char.IsAsciiLetterOrDigit)) + "\""));
    }

    private static async Task<IResult> ThumbnailAsync(long id, double? t, int? w, VideoLibrary library, RootsGuard guard, ThumbnailCache cache, ServerOptions options,
        HttpContext context, CancellationToken ct)
    {
        if (Locate(id, library, guard, out var located) is { } refused)
            return refused;
        var width = w ?? options.ThumbnailWidth;
        if (width is < ThumbnailCache.MinWidth or > ThumbnailCache.MaxWidth)
            throw new UsageException($"w must be between {ThumbnailCache.MinWidth} and {ThumbnailCache.MaxWidth}");
        if (t is { } time && !(time >= 0 && double.IsFinite(time)))
            throw new UsageException("t must be a time in seconds, 0 or more");
        var (video, real) = located!.Value;
        var path = await cache.GetAsync(video, real, t ?? video.Duration / 2, width, ct).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "private, max-age=86400";
        return Results.File(path, "image/jpeg");
    }

    /// <summary>Null when the video may be served (with its catalog row and real path), else the refusal.</summary>
    internal static IResult? Locate(long id, VideoLibrary library, RootsGuard guard, out (LibraryVideo Video, string RealPath)? located)
    {
        located = null;
        if (library.Find(id) is not { } video)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "no such video", detail: $"the library has no video {id}");
        if (guard.Resolve(video.Path) is not { } real)
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "outside the library's roots", detail: "this file is not inside a folder the library indexes");
        if (!File.Exists(real))
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "video file missing", detail: "the file is no longer on disk");
        located = (video, real);
        return null;
    }

    private sealed class RouteLinks : IMediaLinks
    {
        public string Stream(long videoId) => string.Create(CultureInfo.InvariantCulture, $"/api/videos/{videoId}/stream");

        public string Thumbnail(long videoId, double seconds) => string.Create(CultureInfo.InvariantCulture, $"/api/videos/{videoId}/thumbnail?t={seconds:0.#}");
    }
}
