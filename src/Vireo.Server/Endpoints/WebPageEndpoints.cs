using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vireo.Server.Endpoints;

/// <summary>
/// The web page (index.html, app.js, app.css), compiled into this assembly: served from memory by name, so no
/// path from the request ever reaches the file system, and nothing is fetched from elsewhere (the page works offline).
/// </summary>
internal static class WebPageEndpoints
{
    private static readonly (string Route, string Resource, string ContentType)[] Files =
    [
        ("/", "wwwroot/index.html", "text/html; charset=utf-8"),
        ("/app.js", "wwwroot/app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "wwwroot/app.css", "text/css; charset=utf-8"),
    ];

    /// <summary>Only this origin's scripts, styles, images and media; no inline script.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapWebPage(this IEndpointRouteBuilder app)
    {
        foreach (var (route, resource, contentType) in Files)
        {
            var bytes = Load(resource);
            app.MapGet(route, (HttpContext context) =>
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Bytes(bytes, contentType);
            }).ExcludeFromDescription();
        }
        return app;
    }

    private static byte[] Load(string resource)
    {
        using var stream = typeof(WebPageEndpoints).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the web page resource {resource} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
