using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Vireo.Errors;
using Vireo.Server;
using Vireo.Server.Configuration;
using Vireo.Server.Security;

namespace Vireo.Tests.Server;

/// <summary>What the outside security probe found: binding from configuration, peers beyond loopback, cross-site requests, sessions, ranges, bodies.</summary>
public class ServerSecurityTests(ServerLibrary shared) : IClassFixture<ServerLibrary>
{
    private const string Key = "a-long-enough-test-key";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServerOptions Options => new() { Library = shared.Library, Model = shared.Model, Urls = "http://127.0.0.1:0" };

    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return body;
    }

    [Fact]
    public async Task Kestrel_endpoints_from_configuration_cannot_open_the_server_to_the_network()
    {
        // What Kestrel__Endpoints__Http__Url in the environment or an appsettings.json in the working directory would say.
        var app = VireoServer.Build(Options, web => web.Configuration["Kestrel:Endpoints:Http:Url"] = "http://0.0.0.0:0");
        await using (app)
        {
            try
            {
                await app.StartAsync(Ct);
            }
            catch (UsageException)
            {
                return; // refused: fine too
            }
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            Assert.NotEmpty(addresses);
            Assert.All(addresses, address => Assert.True(BindingPolicy.IsLoopback(address), $"bound {address}"));
            await app.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task A_non_loopback_address_actually_bound_without_a_key_stops_the_server_with_a_usage_error()
    {
        var app = VireoServer.Build(Options, web => web.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(0)));
        await using (app)
        {
            var error = await Assert.ThrowsAsync<UsageException>(() => app.StartAsync(Ct));
            Assert.Contains("API key", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_a_key_a_peer_beyond_loopback_is_refused_whatever_host_it_names()
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        var test = (TestServer)server.Service<IServer>();
        var remote = await test.SendAsync(context => Request(context, "GET", "/api/library", IPAddress.Parse("203.0.113.5")), Ct);
        Assert.Equal(StatusCodes.Status403Forbidden, remote.Response.StatusCode);
        var local = await test.SendAsync(context => Request(context, "GET", "/api/library", IPAddress.Loopback), Ct);
        Assert.Equal(StatusCodes.Status200OK, local.Response.StatusCode);
        var mapped = await test.SendAsync(context => Request(context, "GET", "/api/library", IPAddress.Loopback.MapToIPv6()), Ct);
        Assert.Equal(StatusCodes.Status200OK, mapped.Response.StatusCode);
    }

    private static void Request(HttpContext context, string method, string path, IPAddress peer)
    {
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Host = new HostString("127.0.0.1:5093");
        context.Connection.RemoteIpAddress = peer;
    }

    [Theory]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Origin", "http://localhost:8080")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task Cross_site_requests_cannot_change_state(string header, string value)
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        foreach (var path in new[] { "/api/indexing/stop", "/api/indexing/start", "/api/search" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}", Encoding.UTF8, "text/plain") };
            request.Headers.TryAddWithoutValidation(header, value);
            var body = await AssertProblemAsync(await server.Client.SendAsync(request, Ct), HttpStatusCode.Forbidden);
            Assert.Contains("cross-site", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("Origin", "http://localhost")]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Sec-Fetch-Site", "none")]
    public async Task Same_origin_and_header_less_requests_change_state(string? header, string? value)
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/indexing/stop");
        if (header is not null)
            request.Headers.TryAddWithoutValidation(header, value);
        var response = await server.Client.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("[::1]:5000", "http://[::1]:5000")]
    [InlineData("LOCALHOST", "http://localhost:80")]
    public async Task An_origin_that_is_the_servers_own_passes_whatever_the_spelling_of_its_host(string host, string origin)
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/indexing/stop");
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("Origin", origin);
        var response = await server.Client.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    [Fact]
    public async Task The_session_cookie_is_a_random_expiring_token_that_dies_with_the_server()
    {
        string cookie;
        await using (var server = await TestServers.InMemoryAsync(Options with { ApiKey = Key }))
        {
            using var session = new HttpRequestMessage(HttpMethod.Post, "/api/session");
            session.Headers.Add(ServerOptions.ApiKeyHeader, Key);
            var started = await server.Client.SendAsync(session, Ct);
            Assert.Equal(HttpStatusCode.NoContent, started.StatusCode);
            var setCookie = Assert.Single(started.Headers.GetValues("Set-Cookie"));
            Assert.DoesNotContain(Key, setCookie, StringComparison.Ordinal);
            Assert.Contains("max-age=43200", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
            cookie = setCookie.Split(';')[0];
            Assert.Equal(HttpStatusCode.OK, (await GetWithCookieAsync(server, cookie)).StatusCode);
            var name = cookie.Split('=')[0];
            await AssertProblemAsync(await GetWithCookieAsync(server, $"{name}={Key}"), HttpStatusCode.Unauthorized); // the key is not a session
        }
        await using var restarted = await TestServers.InMemoryAsync(Options with { ApiKey = Key });
        await AssertProblemAsync(await GetWithCookieAsync(restarted, cookie), HttpStatusCode.Unauthorized);
    }

    private static Task<HttpResponseMessage> GetWithCookieAsync(RunningServer server, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/library");
        request.Headers.Add("Cookie", cookie);
        return server.Client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task A_range_in_an_unknown_unit_is_ignored_and_head_is_answered_without_a_body()
    {
        await using var server = await TestServers.KestrelAsync(Options);
        var video = shared.Video("only-red.mp4");
        var length = new FileInfo(video.Path).Length;
        using (var items = new HttpRequestMessage(HttpMethod.Get, $"/api/videos/{video.Id}/stream"))
        {
            items.Headers.TryAddWithoutValidation("Range", "items=0-10");
            var response = await server.Client.SendAsync(items, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(length, (await response.Content.ReadAsByteArrayAsync(Ct)).Length);
        }
        using (var head = new HttpRequestMessage(HttpMethod.Head, $"/api/videos/{video.Id}/stream"))
        {
            var response = await server.Client.SendAsync(head, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(length, response.Content.Headers.ContentLength);
            Assert.Contains("bytes", response.Headers.AcceptRanges);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
        }
        using (var head = new HttpRequestMessage(HttpMethod.Head, $"/api/videos/{video.Id}/thumbnail?t=1&w=160"))
        {
            var response = await server.Client.SendAsync(head, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Malformed_json_says_so_in_the_detail()
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        using var content = new StringContent("{\"query\": ", Encoding.UTF8, "application/json");
        var body = await AssertProblemAsync(await server.Client.PostAsync("/api/search", content, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("\"detail\"", body, StringComparison.Ordinal);
        Assert.Contains("JSON", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/ground", "{\"query\": \"red\"}")]
    [InlineData("/api/find-clip", "{\"start\": 1, \"end\": 5}")]
    public async Task A_missing_video_id_is_400_not_404(string path, string json)
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var body = await AssertProblemAsync(await server.Client.PostAsync(path, content, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("video_id", body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_token_expires_after_the_session_lifetime()
    {
        var clock = new ManualClock();
        var store = new SessionStore(Options with { ApiKey = Key, SessionLifetime = TimeSpan.FromHours(12) }, clock);
        var token = store.Start();
        Assert.NotEqual(token, store.Start());
        clock.Now += TimeSpan.FromHours(12) - TimeSpan.FromSeconds(1);
        Assert.True(store.IsValid(token));
        clock.Now += TimeSpan.FromSeconds(2);
        Assert.False(store.IsValid(token));
        Assert.False(store.IsValid(Key));
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
