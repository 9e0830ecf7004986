using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Vireo.Cluster;
using Vireo.Relocalization;
using Vireo.Tests.Retrieval;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cluster;

/// <summary>
/// <c>vireo cluster find-clip</c> against three in-process silos, each owning a shard of the tied videos (copies under
/// other names, indexed in other orders): the query file is embedded on the client and matched on every shard, and the
/// answer equals one library's of the same videos (<c>vireo find-clip</c>: same matches, scores and durations, ties in
/// the same order); a stopped silo makes it partial, naming its shard.
/// </summary>
public class ClusterFindClipTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cluster_find_clip_answers_as_find_clip_on_one_library_and_names_a_stopped_silo()
    {
        var libraries = await TiedScoresTests.Libraries.Value;
        var shards = libraries.Splits.Single(s => s.Length == 3);
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;
        var ports = ClusterConnection.FreeLoopbackPorts(6);
        // The command line's cluster id (it has no option for another); the free ports keep this cluster apart from others.
        var connection = new ClusterConnection { PrimarySiloPort = ports[0], GatewayPort = ports[1] };
        var silos = new List<IHost>();
        var owned = new List<SiloShards>();
        string[] span = ["--start", "3", "--end", "15", "--min-score", "0.5"];
        try
        {
            for (var i = 0; i < 3; i++)
            {
                owned.Add(new SiloShards($"silo-{i}", [shards[i].Directory], libraries.Model));
                silos.Add(await new VireoSilo($"silo-{i}", connection, ports[2 * i], ports[(2 * i) + 1]).StartAsync(owned[i], Ct));
            }

            // Through the API: the same matches as one library's, tied copies included.
            await using (var client = await ClusterSearch.ConnectAsync(connection, Ct))
            {
                var options = new RelocalizationOptions { MinScore = 0.5, ShardDeadline = TimeSpan.FromSeconds(20) };
                using var one = new Relocalizer(libraries.Whole, libraries.Model, options);
                var expected = await one.FindAsync(libraries.Query, TiedScoresTests.QuerySpan, Ct);
                var actual = await ClusterFindClip.FindAsync(client, libraries.Query, TiedScoresTests.QuerySpan, libraries.Model, options, Ct);
                Assert.Empty(actual.Result.MissingShards);
                Assert.Contains(expected.Matches, m => Path.GetFileName(m.Path) == "source-b.mp4");
                Assert.Equal(TiedScoresTests.Describe(expected), TiedScoresTests.Describe(actual.Result));
            }

            // Through the command line: the JSON of find-clip on one library, videos named by their shards.
            var single = await CliRunner.RunAsync(["find-clip", libraries.Query, .. span, "--library", libraries.Whole.Directory, "--model", model, "--json"]);
            var cluster = await CliRunner.RunAsync(["cluster", "find-clip", libraries.Query, .. span, "--gateway", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--deadline", "20", "--model", model, "--json"]);
            Assert.True(single.Code == 0, single.Error);
            Assert.True(cluster.Code == 0, cluster.Error);
            var expectedJson = JsonDocument.Parse(single.Out).RootElement;
            var actualJson = JsonDocument.Parse(cluster.Out).RootElement;
            Assert.NotEmpty(Results(expectedJson));
            Assert.Equal(Results(expectedJson), Results(actualJson));
            Assert.False(actualJson.TryGetProperty("missing_shards", out _));
            Assert.All(actualJson.GetProperty("results").EnumerateArray(), r => Assert.StartsWith("silo-", r.GetProperty("video_id").GetString(), StringComparison.Ordinal));

            // A stopped silo: a partial answer naming its shard, made from the others.
            await silos[1].StopAsync(Ct);
            var partial = await CliRunner.RunAsync(["cluster", "find-clip", libraries.Query, .. span, "--gateway", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--deadline", "5", "--model", model, "--json"]);
            Assert.True(partial.Code == 0, partial.Error);
            Assert.Contains("partial answer", partial.Error, StringComparison.Ordinal);
            var partialJson = JsonDocument.Parse(partial.Out).RootElement;
            Assert.StartsWith("silo-1/", Assert.Single(partialJson.GetProperty("missing_shards").EnumerateArray()).GetString(), StringComparison.Ordinal);
            var left = partialJson.GetProperty("results").EnumerateArray().Select(r => Path.GetFileName(r.GetProperty("vid").GetString()!)).ToList();
            Assert.NotEmpty(left);
            Assert.DoesNotContain("source-c.mp4", left); // silo-1's shard holds it
        }
        finally
        {
            await InProcessSilos.StopAllAsync(silos);
            owned.ForEach(o => o.Dispose());
        }
    }

    /// <summary>Each matched video of a find-clip answer: rank, file, duration, score, windows and matches (not its id: ids are per library).</summary>
    private static List<string> Results(JsonElement answer) =>
        [.. answer.GetProperty("results").EnumerateArray().Select(r =>
            $"{r.GetProperty("rank")} {r.GetProperty("vid")} {r.GetProperty("duration")} {r.GetProperty("score")} {r.GetProperty("pred_relevant_windows").GetRawText()} {r.GetProperty("matches").GetRawText()}")];
}
