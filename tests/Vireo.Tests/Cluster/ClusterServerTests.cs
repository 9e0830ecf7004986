using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Vireo.Cluster;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.Models;
using Vireo.Relocalization;
using Vireo.Server.Configuration;
using Vireo.Temporal;
using Vireo.Tests.Server;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cluster;

/// <summary>
/// Find-clip split over shards, and the HTTP API served against a cluster of two in-process silos: search, find-clip,
/// thumbnails and streaming answer as a server over one library holding the same videos; a stopped silo makes the
/// answers partial (200, <c>missing_shards</c>), never an error.
/// </summary>
public sealed class ClusterServerTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _folder = TestVideos.NewPath("cluster-server");
    private EmbeddingModel _model = null!;
    private VideoLibrary _whole = null!;
    private VideoLibrary[] _shards = [];
    private TemporalWindow _first;

    /// <summary>Shard 0: a video that shows a stretch twice; shard 1: the source the stretch was cut from, and a plain colour video.</summary>
    public async ValueTask InitializeAsync()
    {
        var folders = new[] { Path.Combine(_folder, "videos-0"), Path.Combine(_folder, "videos-1") };
        foreach (var folder in folders)
            Directory.CreateDirectory(folder);
        string source;
        (source, _first, _) = await RelocalizationVideos.WriteReplaysAsync(_folder, Path.Combine(folders[0], "replays.mp4"));
        File.Copy(source, Path.Combine(folders[1], "source.mp4"));
        await ColourVideos.WriteAsync(Path.Combine(folders[1], "green.mp4"), ("green", 8));
        _model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root);
        _whole = VideoLibrary.Open(Path.Combine(_folder, "whole"));
        await new LibraryIngest(_whole, _model).RunAsync(folders, cancellationToken: Ct);
        _shards = [VideoLibrary.Open(Path.Combine(_folder, "shard-0")), VideoLibrary.Open(Path.Combine(_folder, "shard-1"))];
        for (var i = 0; i < 2; i++)
            await new LibraryIngest(_shards[i], _model).RunAsync([folders[i]], cancellationToken: Ct);
    }

    public ValueTask DisposeAsync()
    {
        _model.Dispose();
        return ValueTask.CompletedTask;
    }

    private static LibraryVideo Replays(VideoLibrary library) => library.ListVideos().Single(v => Path.GetFileName(v.Path) == "replays.mp4");

    [Fact]
    public async Task Find_clip_over_local_shards_equals_one_library()
    {
        var options = new RelocalizationOptions { MinScore = 0.5 };
        using var one = new Relocalizer(_whole, _model, options);
        using var readers = new DisposableList<LibraryReader>([.. _shards.Select(s => new LibraryReader(s, _model))]);
        using var split = new Relocalizer([.. readers.Items.Select(r => new LocalClipShard(r))], _model, _whole.Settings!.ClipLength, options);
        var query = Replays(_whole).Path;

        var expected = await one.FindAsync(query, _first, Ct);
        var actual = await split.FindAsync(query, _first, Ct);

        Assert.Equal(2, expected.Matches.Count); // the replay in the same video and the source
        Assert.Equal(Describe(expected), Describe(actual));
        Assert.Empty(actual.MissingShards);
    }

    [Fact]
    public async Task The_api_of_a_cluster_answers_as_the_api_of_one_library_and_a_stopped_silo_is_named()
    {
        var ports = ClusterConnection.FreeLoopbackPorts(4);
        var connection = new ClusterConnection { ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8], PrimarySiloPort = ports[0], GatewayPort = ports[1] };
        var silos = new List<IHost>();
        var owned = new List<SiloShards>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                owned.Add(new SiloShards($"silo-{i}", [_shards[i].Directory], _model));
                silos.Add(await new VireoSilo($"silo-{i}", connection, ports[2 * i], ports[(2 * i) + 1]).StartAsync(owned[i], Ct));
            }
            await using var client = await ClusterSearch.ConnectAsync(connection, Ct);
            var relocalization = new RelocalizationOptions { MinScore = 0.5 };
            await using var single = await TestServers.InMemoryAsync(new ServerOptions { Library = _whole, Model = _model, Relocalization = relocalization });
            await using var cluster = await TestServers.InMemoryAsync(new ServerOptions
            {
                Cluster = new ClusterLibrary(client, _model, TimeSpan.FromSeconds(20)), Relocalization = relocalization,
            });

            // Search: the same videos, scores and moments; cluster ids name their shard.
            var expected = await GetJsonAsync(single, "/api/search?q=green");
            var actual = await GetJsonAsync(cluster, "/api/search?q=green");
            Assert.Equal(SearchLines(expected), SearchLines(actual));
            Assert.False(actual.TryGetProperty("missing_shards", out _));
            var green = actual.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "green.mp4");
            Assert.StartsWith("silo-1~shard-1~", green.GetProperty("video_id").GetString(), StringComparison.Ordinal);

            // Find-clip from a video of shard 0: the replay beside it and the source on shard 1, as one library finds them.
            var query = Replays(_whole).Id;
            var clusterQuery = actual.GetProperty("results").EnumerateArray().Concat(await VideoEntriesAsync(cluster)).First(r => r.GetProperty("name").GetString() == "replays.mp4");
            var expectedClip = await PostJsonAsync(single, "/api/find-clip", new { video_id = query, start = _first.Start, end = _first.End });
            var actualClip = await PostJsonAsync(cluster, "/api/find-clip", new { video_id = clusterQuery.GetProperty("video_id").GetString(), start = _first.Start, end = _first.End });
            Assert.Equal(2, expectedClip.GetProperty("matches").GetArrayLength());
            Assert.Equal(MatchLines(expectedClip), MatchLines(actualClip));

            // Media: a byte range of the stream and a thumbnail, fetched through the silo that holds the video.
            var singleGreen = (await GetJsonAsync(single, "/api/search?q=green")).GetProperty("results").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "green.mp4");
            Assert.Equal(await RangeAsync(single, singleGreen.GetProperty("stream").GetString()!), await RangeAsync(cluster, green.GetProperty("stream").GetString()!));
            Assert.Equal(await single.Client.GetByteArrayAsync(singleGreen.GetProperty("thumbnail").GetString(), Ct),
                await cluster.Client.GetByteArrayAsync(green.GetProperty("thumbnail").GetString(), Ct));
            var head = await cluster.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, green.GetProperty("stream").GetString()), Ct);
            Assert.Equal(new FileInfo(_shards[1].ListVideos().Single(v => v.Path.EndsWith("green.mp4", StringComparison.Ordinal)).Path).Length, head.Content.Headers.ContentLength);
            Assert.Equal(HttpStatusCode.NotImplemented, (await cluster.Client.PostAsync("/api/indexing/start", null, Ct)).StatusCode);

            // A stopped silo: 200 with its shard named, the other shard's videos still there.
            await silos[1].StopAsync(Ct);
            var partial = await GetJsonAsync(cluster, "/api/search?q=green");
            Assert.StartsWith("silo-1/", Assert.Single(partial.GetProperty("missing_shards").EnumerateArray()).GetString(), StringComparison.Ordinal);
            Assert.All(partial.GetProperty("results").EnumerateArray(), r => Assert.StartsWith("silo-0~", r.GetProperty("video_id").GetString(), StringComparison.Ordinal));
            var partialClip = await PostJsonAsync(cluster, "/api/find-clip", new { video_id = clusterQuery.GetProperty("video_id").GetString(), start = _first.Start, end = _first.End });
            Assert.StartsWith("silo-1/", Assert.Single(partialClip.GetProperty("missing_shards").EnumerateArray()).GetString(), StringComparison.Ordinal);
            Assert.Equal(1, partialClip.GetProperty("matches").GetArrayLength());
            var listing = await GetJsonAsync(cluster, "/api/videos");
            Assert.Equal(1, listing.GetProperty("total").GetInt32());
            Assert.Single(listing.GetProperty("missing_shards").EnumerateArray());
        }
        finally
        {
            await InProcessSilos.StopAllAsync(silos);
            owned.ForEach(o => o.Dispose());
        }
    }

    private static List<string> Describe(RelocalizationResult result) =>
        [.. result.Matches.Select(m => $"{Path.GetFileName(m.Path)} {m.Start:R}-{m.End:R} {m.Score:R} {m.Speed:R} {m.Refined}")];

    internal static List<string> SearchLines(JsonElement answer) =>
        [.. answer.GetProperty("results").EnumerateArray().Select(r => $"{r.GetProperty("name")} {r.GetProperty("score")} {r.GetProperty("pred_relevant_windows")} {r.GetProperty("pred_saliency_scores")}"),
         .. answer.GetProperty("moments").EnumerateArray().Select(m => $"moment {m.GetProperty("name")} {m.GetProperty("start")} {m.GetProperty("end")} {m.GetProperty("score")}")];

    private static List<string> MatchLines(JsonElement answer) =>
        [.. answer.GetProperty("matches").EnumerateArray().Select(m => $"{m.GetProperty("name")} {m.GetProperty("start")} {m.GetProperty("end")} {m.GetProperty("score")} {m.GetProperty("speed")}")];

    private static async Task<IEnumerable<JsonElement>> VideoEntriesAsync(RunningServer server) =>
        (await GetJsonAsync(server, "/api/videos")).GetProperty("videos").EnumerateArray().ToList();

    private static async Task<byte[]> RangeAsync(RunningServer server, string stream)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, stream);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 4099);
        using var response = await server.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    internal static async Task<JsonElement> GetJsonAsync(RunningServer server, string path)
    {
        var response = await server.Client.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> PostJsonAsync(RunningServer server, string path, object body)
    {
        var response = await server.Client.PostAsJsonAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private sealed class DisposableList<T>(List<T> items) : IDisposable
        where T : IDisposable
    {
        public List<T> Items => items;

        public void Dispose() => items.ForEach(i => i.Dispose());
    }
}
