using Microsoft.Extensions.Hosting;
using Vireo.Cluster;
using Vireo.Library;
using Vireo.Retrieval;
using Vireo.Tests.Retrieval;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cluster;

/// <summary>
/// Searches of a partitioned cluster follow the partition directory (two in-process silos with data folders, the
/// directory in Redis so it outlives a stopped silo): a partition that a second silo serves during a hand-off is
/// searched once, on the holder the directory names; an empty partition on a live holder is no gap; every partition
/// of a stopped holder is named in missing_shards, also one it never committed a video to.
/// </summary>
public class ClusterDirectoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_partition_is_searched_once_on_its_holder_and_a_stopped_holder_is_named_for_every_partition()
    {
        var (whole, _, model) = await ShardedSearchTests.Libraries.Value;
        var folders = whole.ListVideos().Select(v => Path.GetDirectoryName(v.Path)!).Distinct().ToArray();
        using var redis = await RedisServer.StartAsync();
        var ports = ClusterConnection.FreeLoopbackPorts(4);
        var connection = new ClusterConnection { ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8], Redis = redis.Connection };
        var silos = new List<(IHost Host, SiloPartitions Partitions, SiloShards Shards)>();
        var options = new SearchOptions { ShardDeadline = TimeSpan.FromSeconds(20) };
        using var one = new LibrarySearcher(whole, model, options);
        try
        {
            for (var i = 0; i < 2; i++)
                silos.Add(await ClusterIngestTests.StartAsync(i, connection, ports, model));
            await using var client = await ClusterSearch.ConnectAsync(connection, Ct);
            Assert.Empty((await new ClusterIngest(client).RunAsync(folders, null, Ct)).Failures);

            // Every unused partition handed out: those given to silo-1 never get a video.
            var directory = client.Client.GetGrain<IPartitionDirectoryGrain>(0);
            var used = (await directory.ViewAsync()).Holders.Keys.ToHashSet();
            var partitions = (await directory.ViewAsync()).Partitions;
            foreach (var partition in Enumerable.Range(0, partitions).Where(p => !used.Contains(p)))
                await directory.AssignAsync(partition);
            var view = await directory.ViewAsync();
            var emptyOnSilo1 = view.Holders.Where(h => h.Value == "silo-1" && !used.Contains(h.Key)).Select(h => h.Key).ToList();
            Assert.NotEmpty(emptyOnSilo1);
            await ClusterIngestTests.AssertSameAnswersAsync(client, one, model, options);

            // A hand-off window: silo-1 serves a copy of a partition the directory still gives to silo-0.
            var moving = silos[0].Partitions.Data.OnDisk().First();
            var folder = PartitionPlacement.FolderName(moving, partitions);
            var copy = Path.Combine(TestVideos.NewPath("hand-off-copy"), folder);
            VideoLibrary.Open(silos[0].Partitions.Data.PathOf(moving), create: false).SnapshotTo(copy);
            var copied = VideoLibrary.Open(copy, create: false);
            Assert.NotEmpty(copied.ListVideos());
            Assert.True(silos[1].Shards.Add(copied));
            Assert.Contains($"silo-1/{folder}", silos[1].Shards.Names);
            var listed = await client.ShardsAsync(TimeSpan.FromSeconds(20));
            Assert.Equal($"silo-0/{folder}", Assert.Single(listed, s => s.Name.EndsWith("/" + folder, StringComparison.Ordinal)).Name);
            await ClusterIngestTests.AssertSameAnswersAsync(client, one, model, options);
            foreach (var sentence in ClusterIngestTests.Sentences)
            {
                var paths = (await client.SearchAsync(sentence, model, options, Ct)).Videos.Select(v => v.Path).ToList();
                Assert.Equal(paths.Distinct(StringComparer.Ordinal).Count(), paths.Count);
            }
            silos[1].Shards.Remove(copied);

            // silo-1 stops: each partition the directory gives it is missing, the empty ones too; silo-0's answer.
            var onSilo1 = view.Holders.Where(h => h.Value == "silo-1").Select(h => ShardName("silo-1", h.Key, partitions)).Order(StringComparer.Ordinal).ToList();
            var onSilo0 = silos[0].Partitions.Data.OnDisk()
                .SelectMany(p => VideoLibrary.Open(silos[0].Partitions.Data.PathOf(p), create: false).ListVideos().Select(v => v.Path)).ToHashSet(StringComparer.Ordinal);
            await silos[1].Host.StopAsync(Ct);
            var partial = await client.SearchAsync("a red scene", model, options with { ShardDeadline = TimeSpan.FromSeconds(5) }, Ct);
            Assert.Equal(onSilo1, partial.MissingShards.Where(m => m.StartsWith("silo-1/p", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            Assert.All(emptyOnSilo1, p => Assert.Contains(ShardName("silo-1", p, partitions), partial.MissingShards));
            Assert.DoesNotContain(partial.MissingShards, m => m.StartsWith("silo-0/", StringComparison.Ordinal));
            Assert.NotEmpty(partial.Videos);
            Assert.All(partial.Videos, v => Assert.Contains(v.Path, onSilo0));
        }
        finally
        {
            silos.Reverse();
            foreach (var (host, _, shards) in silos)
            {
                await host.StopAsync(CancellationToken.None);
                host.Dispose();
                shards.Dispose();
            }
        }
    }

    private static string ShardName(string silo, int partition, int partitions) => $"{silo}/{PartitionPlacement.FolderName(partition, partitions)}";
}
