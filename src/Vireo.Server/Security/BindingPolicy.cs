using System.Net;
using Vireo.Errors;

namespace Vireo.Server.Security;

/// <summary>
/// Where the server may listen: loopback addresses freely; any other address (a LAN interface, 0.0.0.0, a host
/// name) only with an API key, since the library's files would otherwise be open to the network.
/// </summary>
internal static class BindingPolicy
{
    /// <summary>Host headers accepted while the server is loopback-only.</summary>
    public static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Checks <paramref name="urls"/> (';'-separated) against the key.</summary>
    /// <exception cref="UsageException">An address is malformed, or one is not loopback and there is no key.</exception>
    public static Binding Check(string urls, string? apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(urls);
        var addresses = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (addresses.Length == 0)
            throw new UsageException("no address to listen on");
        var exposed = addresses.Where(address => !IsLoopback(address)).ToList();
        if (exposed.Count > 0 && string.IsNullOrEmpty(apiKey))
            throw Exposed(exposed);
        if (apiKey is { Length: > 0 and < 16 })
            throw new UsageException("the API key is too short: use at least 16 characters");
        return new Binding(exposed.Count == 0);
    }

    /// <summary>The refusal to listen on <paramref name="exposed"/> without a key.</summary>
    public static UsageException Exposed(IEnumerable<string> exposed) => new(
        $"listening on {string.Join(", ", exposed)} opens the library to other machines: give an API key (--api-key or $VIREO_API_KEY), or listen on 127.0.0.1");

    /// <summary>True for a loopback peer (IPv4, IPv6 or IPv4 mapped to IPv6); null (an in-process or Unix-socket connection) is local too.</summary>
    public static bool IsLoopbackPeer(IPAddress? peer) =>
        peer is null || IPAddress.IsLoopback(peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer);

    /// <summary>The address that Kestrel reports as taken in its bind failure, else <paramref name="urls"/>.</summary>
    public static string TakenAddress(Exception failure, string urls) =>
        System.Text.RegularExpressions.Regex.Match(failure.Message, @"address (\S+?):? address already in use", System.Text.RegularExpressions.RegexOptions.IgnoreCase) is { Success: true } match
            ? match.Groups[1].Value : urls;

    public static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"'{url}' is not an http:// address");
        var host = uri.Host.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    /// <param name="LoopbackOnly">True when every address is loopback.</param>
    public sealed record Binding(bool LoopbackOnly);
}
