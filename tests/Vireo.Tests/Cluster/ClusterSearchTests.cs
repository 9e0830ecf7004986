using Microsoft.Extensions.Hosting;
using Vireo.Cluster;
using Vireo.Retrieval;
using Vireo.Tests.Retrieval;

namespace Vireo.Tests.Cluster;

/// <summary>
/// Three Orleans silos (in this process, localhost clustering on free loopback ports), each owning one shard of the
/// planted library, searched through a cluster client: the answer equals the single library's; a stopped silo makes
/// the answer partial, naming it.
/// </summary>
public class ClusterSearchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_silos_answer_exactly_as_one_library_and_a_stopped_silo_is_named()
    {
        var (whole, shards, model) = await ShardedSearchTests.Libraries.Value;
        var ports = ClusterConnection.FreeLoopbackPorts(6);
        var connection = new ClusterConnection { ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8], PrimarySiloPort = ports[0], GatewayPort = ports[1] };
        var silos = new List<IHost>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var owned = new SiloShards($"silo-{i}", [shards[i].Directory], model);
                silos.Add(await new VireoSilo($"silo-{i}", connection, ports[2 * i], ports[(2 * i) + 1]).StartAsync(owned, Ct));
            }
            await using var client = await ClusterSearch.ConnectAsync(connection, Ct);
            var options = new SearchOptions { ShardDeadline = TimeSpan.FromSeconds(20) };
            using var one = new LibrarySearcher(whole, model, options);

            Assert.Equal(3, (await client.ShardsAsync(TimeSpan.FromSeconds(20))).Count);
            foreach (var sentence in new[] { "a red scene", "a bird of prey soaring over the port", "blue" })
            {
                var expected = await one.SearchAsync(sentence, Ct);
                var actual = await client.SearchAsync(sentence, model, options, Ct);
                Assert.Empty(actual.MissingShards);
                Assert.Equal(ShardedSearchTests.Describe(expected), ShardedSearchTests.Describe(actual));
            }

            await silos[1].StopAsync(Ct);
            var partial = await client.SearchAsync("a red scene", model, options with { ShardDeadline = TimeSpan.FromSeconds(5) }, Ct);
            Assert.Single(partial.MissingShards);
            Assert.StartsWith("silo-1/", partial.MissingShards[0], StringComparison.Ordinal);
            Assert.NotEmpty(partial.Videos);
            Assert.DoesNotContain(partial.Videos, v => v.Path.Contains("shard-videos-1", StringComparison.Ordinal));
        }
        finally
        {
            await InProcessSilos.StopAllAsync(silos);
        }
    }
}
