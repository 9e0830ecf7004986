using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Vireo.Cluster;
using Vireo.Server.Configuration;
using Vireo.Tests.Retrieval;
using Vireo.Tests.Server;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cluster;

/// <summary>
/// Indexing started through the HTTP API of a server over a cluster (two in-process silos with data folders): paths
/// outside the server's index roots are refused, a job can be stopped, a job spreads the folders over the silos with
/// its progress and failures in the status, and the cluster then answers as a server over one library of the same
/// videos; a second job without a body indexes every root and finds nothing new.
/// </summary>
public class ClusterServerIndexingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Indexing_through_the_api_spreads_the_folders_over_the_silos_and_the_cluster_answers_as_one_library()
    {
        var (whole, _, model) = await ShardedSearchTests.Libraries.Value;
        var folders = whole.ListVideos().Select(v => Path.GetDirectoryName(v.Path)!).Distinct().Order(StringComparer.Ordinal).ToList();
        var damaged = TestVideos.NewPath("damaged-videos");
        Directory.CreateDirectory(damaged);
        await File.WriteAllBytesAsync(Path.Combine(damaged, "broken.mp4"), [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))], Ct);
        var outside = TestVideos.NewPath("not-an-index-root");
        Directory.CreateDirectory(outside);
        string[] roots = [.. folders, damaged];
        var ports = ClusterConnection.FreeLoopbackPorts(4);
        var connection = new ClusterConnection { ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8], PrimarySiloPort = ports[0], GatewayPort = ports[1] };
        var silos = new List<(IHost Host, SiloPartitions Partitions, SiloShards Shards)>();
        try
        {
            for (var i = 0; i < 2; i++)
                silos.Add(await ClusterIngestTests.StartAsync(i, connection, ports, model));
            await using var client = await ClusterSearch.ConnectAsync(connection, Ct);
            using var indexing = new ClusterBackgroundIngest(new ClusterIngest(client), roots);
            await using var single = await TestServers.InMemoryAsync(new ServerOptions { Library = whole, Model = model });
            await using var cluster = await TestServers.InMemoryAsync(new ServerOptions
            {
                Cluster = new ClusterLibrary(client, model, TimeSpan.FromSeconds(20)), ClusterIndexing = indexing,
            });

            Assert.Equal(HttpStatusCode.BadRequest, (await StartAsync(cluster, new { paths = new[] { outside } })).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await StartAsync(cluster, new { paths = new[] { "videos" } })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await StartAsync(cluster, new { paths = new[] { Path.Combine(damaged, "missing") } })).StatusCode);

            // Stopped at once: the job ends cancelled.
            Assert.Equal(HttpStatusCode.Accepted, (await StartAsync(cluster, new { paths = roots })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await cluster.Client.PostAsync("/api/indexing/stop", null, Ct)).StatusCode);
            Assert.Equal("cancelled", Indexing(await ServerIndexingTests.WaitForEndAsync(cluster)).GetProperty("state").GetString());

            var started = await StartAsync(cluster, new { paths = roots });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var again = await StartAsync(cluster, new { paths = roots });
            Assert.True(again.StatusCode == HttpStatusCode.Conflict || State(await ServerIndexingTests.StatusAsync(cluster)) == "completed", $"{again.StatusCode}");
            var done = Indexing(await ServerIndexingTests.WaitForEndAsync(cluster));
            Assert.Equal("completed", done.GetProperty("state").GetString());
            var videos = whole.ListVideos().Count;
            Assert.Equal((videos + 1, videos + 1, 1.0), (done.GetProperty("files_done").GetInt32(), done.GetProperty("files_total").GetInt32(), done.GetProperty("fraction").GetDouble()));
            Assert.Equal(1, done.GetProperty("failed_files").GetInt32());
            var failure = Assert.Single(done.GetProperty("failures").EnumerateArray());
            Assert.Equal("broken.mp4", failure.GetProperty("file").GetString());
            Assert.DoesNotContain(damaged, failure.GetProperty("error").GetString(), StringComparison.Ordinal);
            var report = done.GetProperty("report");
            Assert.Equal(videos, report.GetProperty("added").GetInt32() + report.GetProperty("unchanged").GetInt32());

            foreach (var query in new[] { "green", "a red scene", "a bird of prey soaring over the port" })
            {
                var path = "/api/search?q=" + Uri.EscapeDataString(query);
                var actual = await ClusterServerTests.GetJsonAsync(cluster, path);
                Assert.False(actual.TryGetProperty("missing_shards", out _));
                Assert.Equal(ClusterServerTests.SearchLines(await ClusterServerTests.GetJsonAsync(single, path)), ClusterServerTests.SearchLines(actual));
            }

            // Without a body: every root again, nothing new.
            Assert.Equal(HttpStatusCode.Accepted, (await cluster.Client.PostAsync("/api/indexing/start", null, Ct)).StatusCode);
            var rerun = Indexing(await ServerIndexingTests.WaitForEndAsync(cluster)).GetProperty("report");
            Assert.Equal((0, videos, 1), (rerun.GetProperty("added").GetInt32(), rerun.GetProperty("unchanged").GetInt32(), rerun.GetProperty("failed").GetInt32()));
        }
        finally
        {
            silos.Reverse(); // the primary silo stops last
            foreach (var (host, _, shards) in silos)
            {
                await host.StopAsync(CancellationToken.None);
                host.Dispose();
                shards.Dispose();
            }
        }
    }

    private static Task<HttpResponseMessage> StartAsync(RunningServer server, object body) => server.Client.PostAsJsonAsync("/api/indexing/start", body, Ct);

    private static JsonElement Indexing(JsonElement status) => status.GetProperty("indexing");

    private static string? State(JsonElement status) => Indexing(status).GetProperty("state").GetString();
}
