using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Server.Security;
using Vireo.Server.Configuration;

namespace Vireo.Server.Endpoints;

/// <summary>
/// POST /api/session: a client that sent the right API key header (checked by <see cref="ApiKeyMiddleware"/>) gets
/// a random session token (<see cref="SessionStore"/>, never the key) as an HttpOnly, SameSite=Strict cookie with a
/// Max-Age, which the page's video and image requests then carry.
/// </summary>
internal static class SessionEndpoints
{
    public static RouteGroupBuilder MapSessionEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/session", (HttpContext context, ServerOptions options, SessionStore sessions) =>
            {
                if (options.ApiKey is { Length: > 0 })
                {
                    context.Response.Cookies.Append(SessionStore.CookieName, sessions.Start(), new CookieOptions
                    {
                        HttpOnly = true,
                        SameSite = SameSiteMode.Strict,
                        Secure = context.Request.IsHttps,
                        Path = "/",
                        MaxAge = sessions.Lifetime,
                    });
                }
                return Results.NoContent();
            })
            .WithName("StartSession")
            .WithSummary("Exchanges the X-Api-Key header for a session cookie (a random token, valid 12 h or until the server stops; for the web page's media elements).");
        return api;
    }
}
