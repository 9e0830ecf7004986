using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Vireo.Server.Configuration;

namespace Vireo.Server.Security;

/// <summary>
/// When the server has an API key, every request under /api and /openapi must carry it: in the X-Api-Key header,
/// or in the session cookie that POST /api/session sets (so the page's video and image elements, which cannot
/// send headers, work too). Otherwise 401. The page itself (/, /app.js, /app.css) holds no data and stays open.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ServerOptions options)
{
    public const string CookieName = "vireo_key";

    private readonly byte[]? _key = options.ApiKey is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : null;

    public Task InvokeAsync(HttpContext context)
    {
        if (_key is null || !IsProtected(context.Request.Path) || IsValid(context.Request.Headers[ServerOptions.ApiKeyHeader].ToString())
            || IsValid(context.Request.Cookies[CookieName]))
            return next(context);
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "API key required",
            detail: $"send the server's API key in the {ServerOptions.ApiKeyHeader} header").ExecuteAsync(context);
    }

    public bool IsValid(string? candidate) =>
        _key is not null && candidate is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _key);

    private static bool IsProtected(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);
}
