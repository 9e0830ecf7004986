using System.Collections.Concurrent;
using System.Security.Cryptography;
using Vireo.Server.Configuration;

namespace Vireo.Server.Security;

/// <summary>
/// The sessions POST /api/session starts: random tokens (256 bits) held in memory with an expiry
/// (<see cref="ServerOptions.SessionLifetime"/>). A token says nothing about the API key, and every token dies with the
/// server, so a restart (with the same key or a new one) ends all sessions.
/// </summary>
internal sealed class SessionStore(ServerOptions options, TimeProvider clock)
{
    public const string CookieName = "vireo_session";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    public TimeSpan Lifetime => options.SessionLifetime;

    /// <summary>A new session's token.</summary>
    public string Start()
    {
        var now = clock.GetUtcNow();
        foreach (var (stale, expiry) in _expiries)
        {
            if (expiry <= now)
                _expiries.TryRemove(stale, out _);
        }
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        _expiries[token] = now + Lifetime;
        return token;
    }

    /// <summary>True for a token this server issued that has not expired.</summary>
    public bool IsValid(string? token)
    {
        if (token is not { Length: > 0 } || !_expiries.TryGetValue(token, out var expiry))
            return false;
        if (expiry > clock.GetUtcNow())
            return true;
        _expiries.TryRemove(token, out _);
        return false;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
