using Microsoft.Extensions.Hosting;
using Vireo.Answers;
using Vireo.Cluster;
using Vireo.Embedding;
using Vireo.Engine;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.Retrieval;
using Vireo.Tests.Retrieval;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cluster;

/// <summary>
/// Silos with data folders in this process (localhost clustering, the directory in memory storage): a cluster ingest
/// puts each video in exactly one partition and the cluster answers exactly as one library of the same videos; a silo
/// that joins takes its partitions over (copied, switched, deleted at the old holder) and a silo that leaves hands its
/// own back, with the same answers after each move; ingest again changes nothing.
/// </summary>
public class ClusterIngestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static readonly string[] Sentences = ["a red scene", "a bird of prey soaring over the port", "blue"];

    [Fact]
    public async Task Ingest_places_each_video_once_and_hand_offs_keep_the_answers()
    {
        var (whole, _, model) = await ShardedSearchTests.Libraries.Value;
        var folders = whole.ListVideos().Select(v => Path.GetDirectoryName(v.Path)!).Distinct().ToArray();
        var ports = ClusterConnection.FreeLoopbackPorts(6);
        var connection = new ClusterConnection { ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8], PrimarySiloPort = ports[0], GatewayPort = ports[1] };
        var silos = new List<(IHost Host, SiloPartitions Partitions, SiloShards Shards)>();
        var options = new SearchOptions { ShardDeadline = TimeSpan.FromSeconds(20) };
        using var one = new LibrarySearcher(whole, model, options);
        try
        {
            for (var i = 0; i < 2; i++)
                silos.Add(await StartAsync(i, connection, ports, model));
            await using var client = await ClusterSearch.ConnectAsync(connection, Ct);

            var report = await new ClusterIngest(client).RunAsync(folders, null, Ct);
            Assert.Empty(report.Failures);
            Assert.Equal(whole.ListVideos().Count, report.Added);
            await AssertOnePlaceEachAsync(client, silos, whole);
            await AssertSameAnswersAsync(client, one, model, options);
            var served = new ClusterLibrary(client, model, TimeSpan.FromSeconds(20));
            var before = (await served.VideosAsync(0, 1000, Ct)).Videos;

            silos.Add(await StartAsync(2, connection, ports, model));
            var moved = await silos[2].Partitions.TakeOver;
            Assert.True(moved > 0, "the new silo takes partitions over");
            Assert.Equal(moved, silos[2].Partitions.Data.OnDisk().Length);
            await AssertOnePlaceEachAsync(client, silos, whole);
            await AssertSameAnswersAsync(client, one, model, options);
            // Ids from answers given before the hand-off still name their videos: the new holder serves them.
            Assert.Contains(before, v => PartitionPlacement.ParseFolderName(v.Shard.Split('/')[^1]) is { } partition && silos[2].Partitions.Data.OnDisk().Contains(partition));
            await AssertKeysStillServedAsync(served, before);

            var again = await new ClusterIngest(client).RunAsync(folders, null, Ct);
            Assert.Equal((0, whole.ListVideos().Count), (again.Added, again.Unchanged));

            var handed = await ClusterIngest.LeaveAsync(client, "silo-0", Ct);
            Assert.True(handed > 0, "silo-0 held partitions");
            Assert.Empty(silos[0].Partitions.Data.OnDisk());
            Assert.DoesNotContain(silos[0].Shards.Names, n => n.StartsWith("silo-0/p", StringComparison.Ordinal));
            await AssertOnePlaceEachAsync(client, silos, whole);
            await AssertSameAnswersAsync(client, one, model, options);
            await AssertKeysStillServedAsync(served, before);
        }
        finally
        {
            silos.Reverse(); // the primary silo (localhost clustering keeps the membership table) stops last
            foreach (var (host, _, shards) in silos)
            {
                await host.StopAsync(CancellationToken.None);
                host.Dispose();
                shards.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_stopped_jobs_queued_orders_are_dropped_and_the_batch_being_indexed_commits_whole()
    {
        var (whole, _, model) = await ShardedSearchTests.Libraries.Value;
        await using var silo = await OneSilo.StartAsync(model);
        var directory = silo.Client.Client.GetGrain<IPartitionDirectoryGrain>(0);
        var count = (await directory.ViewAsync()).Partitions;
        var job = Guid.NewGuid();
        var orders = whole.ListVideos().Select(v => new IngestOrder(job, PartitionPlacement.PartitionOf(v.ContentHash, count), v.Path, v.ContentHash)).ToArray();
        Assert.True(orders.Select(o => o.Partition).Distinct().Count() > 1, "the videos fall in one partition: nothing would wait behind the first batch");
        foreach (var partition in orders.Select(o => o.Partition).Distinct())
            await directory.AssignAsync(partition);
        var host = silo.Client.Client.GetGrain<IPartitionHostGrain>("silo-0");

        await host.SubmitAsync(orders);
        var dropped = await host.WithdrawAsync(job);

        // The first batch (one partition's orders) was taken before the withdrawal, or nothing was.
        Assert.InRange(dropped, 1, orders.Length);
        var kept = orders.Length - dropped;
        Assert.True(kept == 0 || orders.Count(o => o.Partition == orders[0].Partition) == kept, $"{kept} orders kept");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (Indexed(silo.Partitions) < kept && watch.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(100, Ct);
        await Task.Delay(1000, Ct);
        Assert.Equal(kept, Indexed(silo.Partitions));
        Assert.Empty((await host.CollectAsync(job)).Outcomes);
    }

    private static int Indexed(SiloPartitions partitions) =>
        partitions.Data.OnDisk().Sum(p => VideoLibrary.Open(partitions.Data.PathOf(p), create: false).ListVideos().Count(v => v.Status == VideoStatus.Indexed));

    private static async Task AssertKeysStillServedAsync(ClusterLibrary served, IReadOnlyList<ShardVideo> before)
    {
        foreach (var video in before)
        {
            var answer = await served.GroundAsync(new VideoKey(video.Video.Id, video.Shard), "red", 1, null, Ct);
            Assert.Equal(Path.GetFileName(video.Video.Path), answer.Name);
        }
    }

    [Fact]
    public async Task A_folder_without_videos_is_refused_naming_it()
    {
        var (_, _, model) = await ShardedSearchTests.Libraries.Value;
        await using var silo = await OneSilo.StartAsync(model);
        var empty = TestVideos.NewPath("no-videos");
        Directory.CreateDirectory(empty);
        await File.WriteAllTextAsync(Path.Combine(empty, "notes.txt"), "not a video", Ct);

        var refused = await Assert.ThrowsAsync<Vireo.Errors.InputException>(() => new ClusterIngest(silo.Client).RunAsync([empty], null, Ct));
        Assert.Contains(empty, refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FileNotFoundException>(() => new ClusterIngest(silo.Client).RunAsync([empty + "-missing"], null, Ct));
    }

    /// <summary>One in-process silo with a data folder ("silo-0") on a cluster of its own, and a client of it.</summary>
    private sealed record OneSilo(IHost Host, SiloPartitions Partitions, SiloShards Shards, ClusterSearch Client) : IAsyncDisposable
    {
        public static async Task<OneSilo> StartAsync(Vireo.Models.EmbeddingModel model)
        {
            var ports = ClusterConnection.FreeLoopbackPorts(2);
            var connection = new ClusterConnection { ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8], PrimarySiloPort = ports[0], GatewayPort = ports[1] };
            var (host, partitions, shards) = await ClusterIngestTests.StartAsync(0, connection, ports, model);
            return new OneSilo(host, partitions, shards, await ClusterSearch.ConnectAsync(connection, Ct));
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Host.StopAsync(CancellationToken.None);
            Host.Dispose();
            Shards.Dispose();
        }
    }

    internal static async Task<(IHost, SiloPartitions, SiloShards)> StartAsync(int index, ClusterConnection connection, int[] ports, Vireo.Models.EmbeddingModel model)
    {
        var name = $"silo-{index}";
        var shards = new SiloShards(name, [], model);
        var partitions = new SiloPartitions(SiloDataFolder.Open(TestVideos.NewPath(name + "-data")), model,
            new IngestOptions { Embedding = new EmbeddingOptions { Encoder = EncoderMode.Shared } });
        var host = await new VireoSilo(name, connection, ports[2 * index], ports[(2 * index) + 1]) { Partitions = partitions }.StartAsync(shards, Ct);
        return (host, partitions, shards);
    }

    /// <summary>Every video of the single library is in exactly one partition on disk, on the silo the directory names its holder.</summary>
    private static async Task AssertOnePlaceEachAsync(ClusterSearch client, List<(IHost Host, SiloPartitions Partitions, SiloShards Shards)> silos, VideoLibrary whole)
    {
        var view = await client.Client.GetGrain<IPartitionDirectoryGrain>(0).ViewAsync();
        var placed = new List<string>();
        foreach (var (name, partitions) in silos.Select((s, i) => ($"silo-{i}", s.Partitions)))
        {
            foreach (var partition in partitions.Data.OnDisk())
            {
                Assert.Equal(name, view.Holders[partition]);
                placed.AddRange(VideoLibrary.Open(partitions.Data.PathOf(partition), create: false).ListVideos().Select(v => v.Path));
            }
        }
        Assert.Equal(whole.ListVideos().Select(v => v.Path).Order(StringComparer.Ordinal), placed.Order(StringComparer.Ordinal));
    }

    internal static async Task AssertSameAnswersAsync(ClusterSearch client, LibrarySearcher one, Vireo.Models.EmbeddingModel model, SearchOptions options)
    {
        foreach (var sentence in Sentences)
        {
            var expected = await one.SearchAsync(sentence, Ct);
            var actual = await client.SearchAsync(sentence, model, options, Ct);
            Assert.Empty(actual.MissingShards);
            Assert.Equal(ShardedSearchTests.Describe(expected), ShardedSearchTests.Describe(actual));
        }
    }
}
