using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Vireo.Server.Configuration;

namespace Vireo.Server.Security;

/// <summary>
/// Who may ask. Without an API key the server serves only its own machine: a request from a peer that is not
/// loopback gets 403, whatever Host header it sends. With a key, every request under /api and /openapi must carry
/// it in the X-Api-Key header, or carry a session cookie that POST /api/session issued (<see cref="SessionStore"/>;
/// for the page's video and image elements, which cannot send headers); otherwise 401. The page itself
/// (/, /app.js, /app.css) holds no data and stays open.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ServerOptions options, SessionStore sessions)
{
    private readonly byte[]? _key = options.ApiKey is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : null;

    public Task InvokeAsync(HttpContext context)
    {
        if (_key is null)
        {
            return BindingPolicy.IsLoopbackPeer(context.Connection.RemoteIpAddress) ? next(context)
                : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "local clients only",
                    detail: "this server has no API key, so it answers only its own machine").ExecuteAsync(context);
        }
        if (!IsProtected(context.Request.Path) || IsValid(context.Request.Headers[ServerOptions.ApiKeyHeader].ToString())
            || sessions.IsValid(context.Request.Cookies[SessionStore.CookieName]))
            return next(context);
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
            detail: $"send the server's API key in the {ServerOptions.ApiKeyHeader} header").ExecuteAsync(context);
    }

    private bool IsValid(string? candidate) =>
        _key is not null && candidate is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _key);

    private static bool IsProtected(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);
}
