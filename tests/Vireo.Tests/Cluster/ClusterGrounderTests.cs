using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Vireo.Answers;
using Vireo.Cluster;
using Vireo.Engine;
using Vireo.Errors;
using Vireo.Grounding.Trained;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.Retrieval;
using Vireo.Server.Configuration;
using Vireo.Tests.Grounding.Trained;
using Vireo.Tests.Retrieval;
using Vireo.Tests.Server;
using Vireo.Tests.Support;
using Vireo.TimedText;

namespace Vireo.Tests.Cluster;

/// <summary>
/// A trained grounder named across a cluster: four in-process silos, three owning the shards of the planted library
/// with the grounder imported in their model store, the fourth owning a copy of one shard with a store that lacks it.
/// Searched and grounded with the grounder by name, the cluster answers exactly as one library with that grounder, and
/// the fourth silo's shard is named as failed, with the grounder and the silo, instead of answering zero-shot.
/// </summary>
public class ClusterGrounderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Silos_ground_with_the_named_grounder_as_one_library_does_and_a_silo_without_it_is_named()
    {
        var (whole, shards, model) = await ShardedSearchTests.Libraries.Value;
        using var imported = new TempFolder();
        using var bare = new TempFolder();
        var store = new GrounderStore(imported.Path);
        var name = (await GrounderImport.ImportAsync(store, TrainedFixtures.Checkpoint("moment_detr"), cancellationToken: Ct)).Name;
        using var grounder = store.Open(name, intraOpThreads: 1);
        var copy = await CopyOfShardAsync(shards[2], model);
        var ports = ClusterConnection.FreeLoopbackPorts(8);
        var connection = new ClusterConnection { ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8], PrimarySiloPort = ports[0], GatewayPort = ports[1] };
        var silos = new List<IHost>();
        var opened = new List<SharedGrounders>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                opened.Add(new SharedGrounders(new GrounderStore(i < 3 ? imported.Path : bare.Path), $"silo silo-{i}"));
                var owned = new SiloShards($"silo-{i}", [i < 3 ? shards[i].Directory : copy.Directory], model, grounders: opened[i]);
                silos.Add(await new VireoSilo($"silo-{i}", connection, ports[2 * i], ports[(2 * i) + 1]).StartAsync(owned, Ct));
            }
            await using var client = await ClusterSearch.ConnectAsync(connection, Ct);
            var options = new SearchOptions { ShardDeadline = TimeSpan.FromSeconds(20), TopMoments = 20 };
            using var one = new LibrarySearcher(whole, model, options with { Grounder = grounder });
            var copyShard = $"silo-3/{Path.GetFileName(copy.Directory)}";

            foreach (var sentence in new[] { "a red scene", "blue", "green" })
            {
                var expected = await one.SearchAsync(sentence, Ct);
                var actual = await client.SearchAsync(sentence, model, options with { GrounderName = name }, Ct);
                var failed = Assert.Single(actual.MissingShards);
                Assert.StartsWith(copyShard + " (", failed, StringComparison.Ordinal);
                Assert.Contains($"{name}: this trained grounder is not imported on silo silo-3", failed, StringComparison.Ordinal);
                Assert.Equal(ShardedSearchTests.Describe(expected), ShardedSearchTests.Describe(actual));
                Assert.All(actual.Videos, v => Assert.NotEmpty(v.Moments));
            }
            var zeroShot = await client.SearchAsync("green", model, options, Ct);
            Assert.Empty(zeroShot.MissingShards);
            Assert.Equal(2, zeroShot.Videos.Count(v => Path.GetFileName(v.Path) == "green.mp4")); // without a grounder the copy answers too

            var cluster = new ClusterLibrary(client, model, TimeSpan.FromSeconds(20));
            var defaults = new ServerOptions { Cluster = cluster };
            await using var server = await TestServers.InMemoryAsync(defaults with { Search = defaults.Search with { GrounderName = name } });
            var green = shards[2].ListVideos().Single(v => Path.GetFileName(v.Path) == "green.mp4");
            var key = new VideoKey(green.Id, $"silo-2/{Path.GetFileName(shards[2].Directory)}");
            using var engine = VireoEngine.Over(whole, model);
            var inWhole = whole.ListVideos().Single(v => Path.GetFileName(v.Path) == "green.mp4");
            var local = engine.Ground(inWhole.Id, "green", grounder, Ct);
            var expectedGround = GroundAnswers.Remote(local.Query, inWhole.Id, local.Path, local.Duration, local.ClipLength, local.Result, 5);
            Assert.NotEqual(GroundAnswers.Remote(local.Query, inWhole.Id, local.Path, local.Duration, local.ClipLength, engine.Ground(inWhole.Id, "green", Ct).Result, 5).PredSaliencyScores,
                expectedGround.PredSaliencyScores); // the trained grounder's answer is not the zero-shot one

            using (var response = await server.Client.PostAsJsonAsync("/api/ground", new { video_id = key.ToString(), query = "green", top = 5 }, Ct))
            {
                response.EnsureSuccessStatusCode();
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
                Assert.Equal(expectedGround.PredSaliencyScores, json.RootElement.GetProperty("pred_saliency_scores").EnumerateArray().Select(v => v.GetDouble()));
                Assert.Equal(expectedGround.PredRelevantWindows.Select(w => string.Join(",", w)),
                    json.RootElement.GetProperty("pred_relevant_windows").EnumerateArray().Select(w => string.Join(",", w.EnumerateArray().Select(v => v.GetDouble()))));
            }
            using (var response = await server.Client.GetAsync("/api/search?q=green", Ct))
            {
                response.EnsureSuccessStatusCode();
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
                var missing = Assert.Single(json.RootElement.GetProperty("missing_shards").EnumerateArray());
                Assert.StartsWith(copyShard + " (", missing.GetString(), StringComparison.Ordinal);
            }

            var copied = copy.ListVideos()[0];
            var refused = await Assert.ThrowsAsync<RemoteVireoException>(() => cluster.GroundAsync(new VideoKey(copied.Id, copyShard), "green", 5, name, Ct));
            Assert.Equal(ErrorKind.Dependency, refused.Kind);
            Assert.Contains($"{name}: this trained grounder is not imported on silo silo-3", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            await InProcessSilos.StopAllAsync(silos);
            opened.ForEach(g => g.Dispose());
        }
    }

    /// <summary>A second library of shard 2's videos (the same model and text channels), for a silo of its own.</summary>
    private static async Task<VideoLibrary> CopyOfShardAsync(VideoLibrary shard, Vireo.Models.EmbeddingModel model)
    {
        var copy = VideoLibrary.Open(TestVideos.NewPath("shard-library-copy"));
        var options = new IngestOptions { Channels = new HashSet<TextChannel> { TextChannel.Subtitles } };
        await new LibraryIngest(copy, model, options).RunAsync([Path.GetDirectoryName(shard.ListVideos()[0].Path)!], cancellationToken: Ct);
        return copy;
    }
}
