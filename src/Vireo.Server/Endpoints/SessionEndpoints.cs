using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Server.Security;
using Vireo.Server.Configuration;

namespace Vireo.Server.Endpoints;

/// <summary>
/// POST /api/session: a client that sent the right API key header (checked by <see cref="ApiKeyMiddleware"/>)
/// gets it back as an HttpOnly, SameSite=Strict cookie, which the page's video and image requests then carry.
/// </summary>
internal static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessionEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/session", (HttpContext context, ServerOptions options) =>
            {
                if (options.ApiKey is { Length: > 0 } key)
                {
                    context.Response.Cookies.Append(ApiKeyMiddleware.CookieName, key, new CookieOptions
                    {
                        HttpOnly = true,
                        SameSite = SameSiteMode.Strict,
                        Secure = context.Request.IsHttps,
                        Path = "/",
                    });
                }
                return Results.NoContent();
            })
            .WithName("StartSession")
            .WithSummary("Exchanges the X-Api-Key header for a session cookie (for the web page's media elements).");
        return api;
    }
}
