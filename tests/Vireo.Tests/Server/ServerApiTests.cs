using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vireo.Grounding;
using Vireo.Server;
using Vireo.Temporal;
using Vireo.Server.Configuration;

namespace Vireo.Tests.Server;

/// <summary>The HTTP API over a library indexed with the concept model (in memory, and on real loopback Kestrel where the transport matters).</summary>
public class ServerApiTests(ServerLibrary shared) : IClassFixture<ServerLibrary>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ServerOptions Options => new() { Library = shared.Library, Model = shared.Model, Urls = "http://127.0.0.1:0" };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertNoStackTrace(body);
    }

    private static void AssertNoStackTrace(string body)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ranks_the_video_with_the_colour_first_with_its_moment_saliency_and_links()
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        foreach (var planted in shared.Planted)
        {
            var json = await JsonAsync(await server.Client.GetAsync($"/api/search?q={Uri.EscapeDataString($"a {planted.Colour} scene")}&top=2", Ct));
            var results = json.GetProperty("results");
            Assert.Equal(2, results.GetArrayLength());
            var first = results[0];
            Assert.Equal(Path.GetFileName(planted.Video), first.GetProperty("name").GetString());
            var window = first.GetProperty("pred_relevant_windows")[0];
            var iou = new TemporalWindow(window[0].GetDouble(), window[1].GetDouble()).IoU(new TemporalWindow(planted.Start, planted.End));
            Assert.True(iou >= 0.5, $"{planted.Colour}: [{window[0]}, {window[1]}] vs [{planted.Start}, {planted.End}]");
            Assert.Equal(15, first.GetProperty("pred_saliency_scores").GetArrayLength()); // 30 s in 2-s clips
            var id = first.GetProperty("video_id").GetInt64();
            Assert.Equal($"/api/videos/{id}/stream", first.GetProperty("stream").GetString());
            Assert.StartsWith($"/api/videos/{id}/thumbnail?t=", first.GetProperty("thumbnail").GetString(), StringComparison.Ordinal);
            Assert.Equal(Path.GetFileName(planted.Video), json.GetProperty("moments")[0].GetProperty("name").GetString());
            Assert.DoesNotContain(shared.Folder, json.ToString(), StringComparison.Ordinal); // names, never server paths
        }
    }

    [Fact]
    public async Task Search_by_post_body_answers_like_get_and_limits_are_checked()
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        var posted = await JsonAsync(await server.Client.PostAsJsonAsync("/api/search", new { query = "a blue scene", top = 1, moments = 1 }, Ct));
        var got = await JsonAsync(await server.Client.GetAsync("/api/search?q=a%20blue%20scene&top=1&moments=1", Ct));
        Assert.Equal(1, posted.GetProperty("results").GetArrayLength());
        Assert.Equal(got.GetProperty("results")[0].GetProperty("video_id").GetInt64(), posted.GetProperty("results")[0].GetProperty("video_id").GetInt64());
        Assert.Equal(1, posted.GetProperty("results")[0].GetProperty("pred_relevant_windows").GetArrayLength());
        await AssertProblemAsync(await server.Client.GetAsync("/api/search?q=red&top=1000", Ct), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await server.Client.GetAsync("/api/search?q=%20%20", Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Over_long_query_is_400_without_a_stack_trace()
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        var response = await server.Client.GetAsync("/api/search?q=" + new string('x', 5000), Ct);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("5000 characters", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var posted = await server.Client.PostAsJsonAsync("/api/search", new { query = new string('y', 1001) }, Ct);
        await AssertProblemAsync(posted, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Malformed_json_is_400_without_a_stack_trace()
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        using var content = new StringContent("{\"query\": ", Encoding.UTF8, "application/json");
        await AssertProblemAsync(await server.Client.PostAsync("/api/search", content, Ct), HttpStatusCode.BadRequest);
        using var wrongType = new StringContent("{\"video_id\": \"../../etc/passwd\", \"query\": \"red\"}", Encoding.UTF8, "application/json");
        await AssertProblemAsync(await server.Client.PostAsync("/api/ground", wrongType, Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Big_bodies_are_refused_with_413_in_memory_and_on_kestrel_when_chunked()
    {
        var big = new { query = "red", padding = new string('p', 200_000) };
        await using (var server = await TestServers.InMemoryAsync(Options))
            await AssertProblemAsync(await server.Client.PostAsJsonAsync("/api/search", big, Ct), HttpStatusCode.RequestEntityTooLarge);

        await using var kestrel = await TestServers.KestrelAsync(Options);
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(big))));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/search") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var response = await kestrel.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        AssertNoStackTrace(await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Ground_finds_the_moment_in_a_library_video_and_404s_unknown_ids()
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        var blue = shared.Planted.Single(p => p.Colour == "blue");
        var id = shared.Video("only-blue.mp4").Id;
        var json = await JsonAsync(await server.Client.PostAsJsonAsync("/api/ground", new { video_id = id, query = "the blue part", top = 3 }, Ct));
        var top = json.GetProperty("pred_relevant_windows")[0];
        Assert.True(new TemporalWindow(top[0].GetDouble(), top[1].GetDouble()).IoU(new TemporalWindow(blue.Start, blue.End)) >= 0.5);
        Assert.InRange(json.GetProperty("pred_relevant_windows").GetArrayLength(), 1, 3);
        Assert.Equal(15, json.GetProperty("pred_saliency_scores").GetArrayLength());
        Assert.Equal("only-blue.mp4", json.GetProperty("name").GetString());
        await AssertProblemAsync(await server.Client.PostAsJsonAsync("/api/ground", new { video_id = 987654, query = "red" }, Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Library_status_reports_videos_roots_model_and_idle_indexing()
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        var json = await JsonAsync(await server.Client.GetAsync("/api/library", Ct));
        Assert.Equal(3, json.GetProperty("videos").GetInt32());
        Assert.Equal(3, json.GetProperty("indexed").GetInt32());
        Assert.Equal([shared.Root], json.GetProperty("roots").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(shared.Library.Settings!.Model.Name, json.GetProperty("model").GetString());
        Assert.Equal("idle", json.GetProperty("indexing").GetProperty("state").GetString());
        var page = await JsonAsync(await server.Client.GetAsync("/api/videos?limit=2", Ct));
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("videos").GetArrayLength());
    }

    [Fact]
    public async Task Thumbnail_is_a_jpeg_made_once_and_cached_under_the_library()
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        var id = shared.Video("only-red.mp4").Id;
        var response = await server.Client.GetAsync($"/api/videos/{id}/thumbnail?t=3.04&w=160", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        var jpeg = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF }, jpeg[..3]);
        Assert.Equal(new byte[] { 0xFF, 0xD9 }, jpeg[^2..]);
        var cached = Directory.GetFiles(Path.Combine(shared.Library.Directory, "thumbnails"), $"{id}-*-30-160.jpg");
        Assert.Single(cached);
        var stamp = File.GetLastWriteTimeUtc(cached[0]);
        var again = await server.Client.GetByteArrayAsync($"/api/videos/{id}/thumbnail?t=2.96&w=160", Ct); // same tenth of a second
        Assert.Equal(jpeg, again);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(cached[0]));
        await AssertProblemAsync(await server.Client.GetAsync($"/api/videos/{id}/thumbnail?w=100000", Ct), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await server.Client.GetAsync("/api/videos/987654/thumbnail", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Stream_answers_range_requests_with_206_so_the_browser_can_seek()
    {
        await using var server = await TestServers.KestrelAsync(Options);
        var video = shared.Video("only-red.mp4");
        var bytes = await File.ReadAllBytesAsync(video.Path, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/videos/{video.Id}/stream");
        request.Headers.Range = new RangeHeaderValue(100, 1099);
        var response = await server.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 100-1099/{bytes.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes[100..1100], await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains("bytes", response.Headers.AcceptRanges);

        var whole = await server.Client.GetAsync($"/api/videos/{video.Id}/stream", Ct);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(bytes.Length, (await whole.Content.ReadAsByteArrayAsync(Ct)).Length);
    }

    [Fact]
    public async Task A_symlink_leading_out_of_the_roots_is_refused_with_403()
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        // Ingest resolves links: escape.mp4 (a link in the root) is catalogued as the file it points to, outside the roots.
        var escape = shared.Video("secret.mp4");
        await AssertProblemAsync(await server.Client.GetAsync($"/api/videos/{escape.Id}/stream", Ct), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await server.Client.GetAsync($"/api/videos/{escape.Id}/thumbnail", Ct), HttpStatusCode.Forbidden);
        var inside = shared.Video("only-blue.mp4");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"/api/videos/{inside.Id}/stream", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("/api/videos/../../catalog.db")]
    [InlineData("/api/videos/%2e%2e/%2e%2e/library/catalog.db")]
    [InlineData("/api/videos/..%2f..%2flibrary%2fcatalog.db/stream")]
    [InlineData("/api/videos/1/..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/app.js/..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("/..%5c..%5cetc%5cpasswd")]
    public async Task Traversal_in_the_url_plain_or_encoded_never_reaches_a_file(string target)
    {
        await using var server = await TestServers.KestrelAsync(Options);
        var (status, body) = await TestServers.RawGetAsync(server.Address, target);
        Assert.True(status is 400 or 403 or 404, $"{target}: {status}");
        Assert.DoesNotContain("SQLite format", body, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
        AssertNoStackTrace(body);
    }

    [Fact]
    public async Task A_loopback_server_refuses_foreign_host_names()
    {
        await using var server = await TestServers.KestrelAsync(Options);
        var (status, _) = await TestServers.RawGetAsync(server.Address, "/api/library", host: "attacker.example");
        Assert.Equal(400, status);
        Assert.Equal(200, (await TestServers.RawGetAsync(server.Address, "/api/library", host: "localhost")).Status);
    }

    [Fact]
    public void Binding_beyond_loopback_without_an_api_key_is_refused()
    {
        var error = Assert.Throws<Vireo.Errors.UsageException>(() => VireoServer.Build(Options with { Urls = "http://0.0.0.0:0" }));
        Assert.Contains("API key", error.Message, StringComparison.Ordinal);
        Assert.Throws<Vireo.Errors.UsageException>(() => VireoServer.Build(Options with { Urls = "http://127.0.0.1:0;http://192.168.1.20:0" }));
        Assert.Throws<Vireo.Errors.UsageException>(() => VireoServer.Build(Options with { Urls = "http://0.0.0.0:0", ApiKey = "short" }));
    }

    [Fact]
    public async Task Bound_beyond_loopback_every_api_request_needs_the_key_in_the_header_or_session_cookie()
    {
        const string key = "a-long-enough-test-key";
        await using var server = await TestServers.KestrelAsync(Options with { Urls = "http://0.0.0.0:0", ApiKey = key });
        await AssertProblemAsync(await server.Client.GetAsync("/api/library", Ct), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await server.Client.GetAsync("/api/search?q=red", Ct), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await server.Client.GetAsync($"/api/videos/{shared.Video("only-red.mp4").Id}/stream", Ct), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await server.Client.GetAsync("/openapi/v1.json", Ct), HttpStatusCode.Unauthorized);
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/library"))
        {
            wrong.Headers.Add(ServerOptions.ApiKeyHeader, key + "x");
            await AssertProblemAsync(await server.Client.SendAsync(wrong, Ct), HttpStatusCode.Unauthorized);
        }
        using (var right = new HttpRequestMessage(HttpMethod.Get, "/api/library"))
        {
            right.Headers.Add(ServerOptions.ApiKeyHeader, key);
            Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(right, Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/", Ct)).StatusCode); // the page holds no data

        using var session = new HttpRequestMessage(HttpMethod.Post, "/api/session");
        session.Headers.Add(ServerOptions.ApiKeyHeader, key);
        var started = await server.Client.SendAsync(session, Ct);
        Assert.Equal(HttpStatusCode.NoContent, started.StatusCode);
        var cookie = Assert.Single(started.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/api/library");
        withCookie.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(withCookie, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_endpoints()
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        var json = await JsonAsync(await server.Client.GetAsync("/openapi/v1.json", Ct));
        var paths = json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/search", "/api/ground", "/api/find-clip", "/api/library", "/api/videos", "/api/indexing/start", "/api/indexing/stop", "/api/videos/{id}/stream", "/api/videos/{id}/thumbnail" })
            Assert.Contains(path, paths);
    }

    [Fact]
    public async Task The_page_is_served_from_the_assembly_with_only_local_resources()
    {
        await using var server = await TestServers.InMemoryAsync(Options);
        var page = await server.Client.GetAsync("/", Ct);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("src=\"/app.js\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"timeline\"", html, StringComparison.Ordinal);
        foreach (var file in new[] { "/", "/app.js", "/app.css" })
        {
            var text = await server.Client.GetStringAsync(file, Ct);
            Assert.DoesNotMatch(@"(src|href)=""https?://|url\(https?://|import .* from ""http", text);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/wwwroot/index.html", Ct)).StatusCode);
    }
}
