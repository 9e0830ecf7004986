using Microsoft.AspNetCore.Http;

namespace Vireo.Server.Security;

/// <summary>
/// Refuses cross-site requests that could change state (any method but GET, HEAD, OPTIONS and TRACE) with 403, so
/// that no web page can start or stop indexing, or spend the server's CPU, through a visitor's browser. Browsers say
/// where a request comes from: Sec-Fetch-Site when they send it ("same-origin" and "none" pass; "same-site" and
/// "cross-site" do not), else Origin, which must be the request's own scheme, host and port. A request with neither
/// header does not come from a web page (curl, the CLI, scripts) and passes.
/// </summary>
internal sealed class CrossSiteMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
            || IsSameOrigin(request))
            return next(context);
        return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "cross-site request refused",
            detail: "cross-site requests cannot change the server's state: use the server's own page, or a client that is not a browser").ExecuteAsync(context);
    }

    internal static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
            return site.Equals("same-origin", StringComparison.OrdinalIgnoreCase) || site.Equals("none", StringComparison.OrdinalIgnoreCase);
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !request.Host.HasValue)
            return false; // "null" (a sandboxed or file page) or garbage
        var port = request.Host.Port ?? (request.IsHttps ? 443 : 80);
        return uri.Scheme.Equals(request.Scheme, StringComparison.OrdinalIgnoreCase)
            && uri.Host.Trim('[', ']').Equals(request.Host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase) && uri.Port == port;
    }
}
