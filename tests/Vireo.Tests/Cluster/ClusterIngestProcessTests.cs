using System.Diagnostics;
using System.Text.Json;
using Vireo.Cluster;
using Vireo.Library;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cluster;

/// <summary>
/// Distributed ingest as it runs on machines: Redis started by the test, three `vireo cluster silo --data` processes,
/// and `vireo cluster index` as the client. The silo that holds the most videos is killed with SIGKILL as soon as it has
/// committed one, and started again: the job still ends with every video indexed exactly once (its videos in flight
/// were sent again and waited for it), and the cluster answers as `vireo search` on one library of the same folder.
/// Loopback only, bounded in time.
/// </summary>
public class ClusterIngestProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Colours = ["red", "blue", "green", "yellow", "white"];

    [Fact]
    public async Task A_silo_killed_during_ingest_loses_nothing_and_indexes_nothing_twice()
    {
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;
        var folder = await VideosAsync();
        var files = Directory.GetFiles(folder, "*.mp4").Select(RealPaths.Of).Order(StringComparer.Ordinal).ToList();
        var victim = HoldsMost(files);
        using var redis = await RedisServer.StartAsync();
        var ports = ClusterConnection.FreeLoopbackPorts(6);
        var data = Enumerable.Range(0, 3).Select(i => TestVideos.NewPath($"silo-{i}-data")).ToArray();
        var silos = new Process?[3];
        try
        {
            var single = TestVideos.NewPath("single-library");
            var indexed = await CliRunner.RunProcessAsync(["index", folder, "--library", single, "--model", model, "--json"], []);
            Assert.True(indexed.Code == 0, indexed.Error);
            for (var i = 0; i < 3; i++)
                silos[i] = await ClusterProcessTests.StartSiloAsync(i, ["--data", data[i]], model, redis, ports);

            var job = CliRunner.RunProcessAsync(["cluster", "index", folder, "--redis", redis.Connection, "--silo-wait", "90", "--json"], []);
            await CommittedAsync(data[victim], job);
            silos[victim]!.Kill(entireProcessTree: true); // SIGKILL mid-ingest: no goodbye, orders in flight lost
            await silos[victim]!.WaitForExitAsync(Ct);
            silos[victim] = await ClusterProcessTests.StartSiloAsync(victim, ["--data", data[victim]], model, redis, ports);
            var done = await job;

            Assert.True(done.Code == 0, done.Error + done.Out);
            var report = JsonDocument.Parse(done.Out).RootElement;
            Assert.Equal(files.Count, report.GetProperty("added").GetInt32() + report.GetProperty("unchanged").GetInt32());
            Assert.Equal(0, report.GetProperty("failed").GetArrayLength());
            Assert.True(report.GetProperty("resent").GetInt32() > 0, "the killed silo's videos in flight were sent again: " + done.Out);
            Assert.Equal(files, IndexedPaths(data)); // each once, in one partition

            foreach (var sentence in new[] { "a red scene", "blue" })
            {
                var expected = await CliRunner.RunProcessAsync(["search", sentence, "--library", single, "--model", model, "--json"], []);
                var actual = await ClusterProcessTests.SearchSettledClusterAsync(redis, model, sentence);
                Assert.True(expected.Code == 0, expected.Error);
                Assert.True(actual.Code == 0, actual.Error);
                Assert.DoesNotContain("partial answer", actual.Error, StringComparison.Ordinal);
                Assert.Equal(ClusterProcessTests.Answer(expected.Out), ClusterProcessTests.Answer(actual.Out));
            }
        }
        finally
        {
            foreach (var silo in silos)
            {
                if (silo is { HasExited: false })
                    silo.Kill(entireProcessTree: true);
                silo?.Dispose();
            }
        }
    }

    /// <summary>
    /// Fifteen short videos of two colours each, in one folder; the first colour lasts 2 s and the second 4 s (videos that
    /// tie are ordered by path in one library and in a cluster alike: <see cref="Retrieval.TiedScoresTests"/>).
    /// </summary>
    private static async Task<string> VideosAsync()
    {
        var folder = TestVideos.NewPath("cluster-ingest-videos");
        Directory.CreateDirectory(folder);
        var pairs = Colours.SelectMany(a => Colours.Where(b => b != a).Select(b => (a, b))).Take(15);
        await Task.WhenAll(pairs.Select(p => ColourVideos.WriteAsync(Path.Combine(folder, $"{p.a}-{p.b}.mp4"), (p.a, 2), (p.b, 4))));
        return folder;
    }

    /// <summary>The silo that the placement gives the most videos (the silos are silo-0..2, all up before the ingest).</summary>
    private static int HoldsMost(IReadOnlyList<string> files)
    {
        string[] names = ["silo-0", "silo-1", "silo-2"];
        var owners = files.Select(f => PartitionPlacement.Owner(PartitionPlacement.PartitionOf(ContentHash.Compute(f), PartitionPlacement.DefaultPartitions), names)!);
        var most = owners.GroupBy(o => o).OrderByDescending(g => g.Count()).First();
        Assert.True(most.Count() >= 2, "the victim has videos left to lose after its first commit");
        return Array.IndexOf(names, most.Key);
    }

    /// <summary>Waits until the silo's data folder holds an indexed video (the job must still be running).</summary>
    private static async Task CommittedAsync(string data, Task job)
    {
        var watch = Stopwatch.StartNew();
        while (IndexedPaths([data]).Count == 0)
        {
            Assert.False(job.IsCompleted, "the ingest ended before the silo to kill committed a video");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "no video committed on the silo to kill within 60 s");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>The indexed videos of every partition in the data folders, sorted (a video in two partitions appears twice).</summary>
    private static List<string> IndexedPaths(IEnumerable<string> dataFolders)
    {
        var paths = new List<string>();
        foreach (var catalog in dataFolders.Where(Directory.Exists).SelectMany(d => Directory.GetDirectories(d, "p*")).Select(p => Path.Combine(p, VideoLibrary.CatalogFileName)).Where(File.Exists))
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={catalog};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT path FROM videos WHERE status = 'indexed'";
            try
            {
                using var reader = command.ExecuteReader();
                while (reader.Read())
                    paths.Add(reader.GetString(0));
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                // a catalog being created: no table yet
            }
        }
        paths.Sort(StringComparer.Ordinal);
        return paths;
    }
}
