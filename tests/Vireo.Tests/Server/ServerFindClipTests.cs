using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vireo.Grounding;
using Vireo.Library;
using Vireo.Ingest;
using Vireo.Models;
using Vireo.Server;
using Vireo.Tests.Support;
using Vireo.Temporal;
using Vireo.Server.Configuration;

namespace Vireo.Tests.Server;

/// <summary>POST /api/find-clip over a library whose one video shows the same stretch twice (once faster and brighter).</summary>
public sealed class ServerFindClipTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _folder = TestVideos.NewPath("server-find-clip");
    private EmbeddingModel _model = null!;
    private VideoLibrary _library = null!;
    private LibraryVideo _host = null!;
    private TemporalWindow _first;
    private TemporalWindow _second;

    public async ValueTask InitializeAsync()
    {
        var root = Directory.CreateDirectory(Path.Combine(_folder, "videos")).FullName;
        (_, _first, _second) = await RelocalizationVideos.WriteReplaysAsync(_folder, Path.Combine(root, "replays.mp4"));
        _model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root);
        _library = VideoLibrary.Open(Path.Combine(_folder, "library"));
        await new LibraryIngest(_library, _model).RunAsync([root], cancellationToken: Ct);
        _host = _library.ListVideos().Single();
    }

    public ValueTask DisposeAsync()
    {
        _model.Dispose();
        return ValueTask.CompletedTask;
    }

    private ServerOptions Options => new() { Library = _library, Model = _model };

    [Fact]
    public async Task The_other_occurrence_of_a_stretch_is_found_and_the_stretch_itself_is_not()
    {
        await using var server = await TestServers.InMemoryAsync(Options);

        var response = await server.Client.PostAsJsonAsync("/api/find-clip", new { video_id = _host.Id, start = _first.Start, end = _first.End }, Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal(_host.Id, json.GetProperty("query").GetProperty("video_id").GetInt64());
        var matches = json.GetProperty("matches");
        Assert.Equal(1, matches.GetArrayLength());
        var match = matches[0];
        var found = new TemporalWindow(match.GetProperty("start").GetDouble(), match.GetProperty("end").GetDouble());
        Assert.True(found.IoU(_second) >= 0.7, $"{found} vs {_second}");
        Assert.Equal(1.25, match.GetProperty("speed").GetDouble(), 0.15);
        Assert.True(match.GetProperty("score").GetDouble() >= new Vireo.Relocalization.RelocalizationOptions().MinScore);
        Assert.Equal("replays.mp4", match.GetProperty("name").GetString());
        Assert.Equal($"/api/videos/{_host.Id}/stream", match.GetProperty("stream").GetString());
        Assert.DoesNotContain(_folder, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"video_id\":999999}", HttpStatusCode.NotFound)]
    [InlineData("{\"video_id\":ID,\"start\":20,\"end\":10}", HttpStatusCode.BadRequest)]
    [InlineData("{\"video_id\":ID,\"start\":5,\"end\":5000}", HttpStatusCode.BadRequest)]
    [InlineData("{\"video_id\":ID,\"start\":50,\"end\":55}", HttpStatusCode.BadRequest)]
    [InlineData("{\"video_id\":ID,\"min_score\":0.1}", HttpStatusCode.BadRequest)]
    [InlineData("{\"video_id\":ID,\"top\":0}", HttpStatusCode.BadRequest)]
    public async Task Bad_requests_are_refused_with_a_problem(string body, HttpStatusCode status)
    {
        await using var server = await TestServers.InMemoryAsync(Options);

        using var content = new StringContent(body.Replace("ID", _host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
            System.Text.Encoding.UTF8, "application/json");
        var response = await server.Client.PostAsync("/api/find-clip", content, Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.0, 1.01, "at least")]
    [InlineData(0, 10000, "is not inside the video")]
    [InlineData(5, 5000, "is not inside the video")]
    [InlineData(1000, 1010, "is not inside the video")]
    public async Task Spans_too_short_or_beyond_the_video_are_refused_by_the_engine_for_cli_and_server(double start, double end, string reason)
    {
        using var engine = Vireo.Engine.VireoEngine.Over(_library, _model);
        var error = await Assert.ThrowsAnyAsync<Vireo.Errors.VireoException>(() => engine.FindClipAsync(_host.Path, new TemporalWindow(start, end), cancellationToken: Ct));
        Assert.Equal(Vireo.Errors.ErrorKind.Usage, error.Kind);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);

        await using var server = await TestServers.InMemoryAsync(Options);
        var response = await server.Client.PostAsJsonAsync("/api/find-clip", new { video_id = _host.Id, start, end }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Contains(reason, text, StringComparison.Ordinal);
        Assert.DoesNotContain("600 s", text, StringComparison.Ordinal);
    }


    [Fact]
    public async Task Find_clip_work_beyond_the_servers_cap_is_refused_with_503_and_retry_after()
    {
        await using var server = await TestServers.InMemoryAsync(Options with { MaxConcurrentFindClips = 1 });
        var gate = server.Service<Vireo.Server.Security.FindClipGate>();
        using (var held = gate.TryEnter())
        {
            Assert.NotNull(held);
            var busy = await server.Client.PostAsJsonAsync("/api/find-clip", new { video_id = _host.Id, start = _first.Start, end = _first.End }, Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.NotNull(busy.Headers.RetryAfter);
            Assert.Equal("application/problem+json", busy.Content.Headers.ContentType?.MediaType);
        }
        var free = await server.Client.PostAsJsonAsync("/api/find-clip", new { video_id = _host.Id, start = _first.Start, end = _first.End }, Ct);
        Assert.True(free.IsSuccessStatusCode, await free.Content.ReadAsStringAsync(Ct));
    }

}
