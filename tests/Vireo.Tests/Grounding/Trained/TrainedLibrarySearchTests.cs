using System.Net.Http.Json;
using System.Text.Json;
using Vireo.Engine;
using Vireo.Errors;
using Vireo.Grounding.Trained;
using Vireo.Server.Configuration;
using Vireo.Temporal;
using Vireo.Tests.Server;
using Vireo.Tests.Support;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>A library search whose moment stage is a trained grounder (video corpus moment retrieval).</summary>
public class TrainedLibrarySearchTests
{
    [Fact]
    public async Task The_trained_grounder_grounds_the_best_videos_on_their_stored_clips_and_reranks_them_by_their_best_moment()
    {
        var model = (await TestModels.Width512HuggingFaceAsync()).Root;
        var library = TestVideos.NewPath("trained-library");
        var videos = new[] { "charades.mp4", "demo.mp4", "talk.mp4" }.Select(v => SharedData.Require("data/videos/" + v)).ToArray();
        using (var ingest = VireoEngine.OpenForIngest(library, new ModelChoice(model)))
            await ingest.IndexAsync(videos, cancellationToken: Frames.Ct);
        var grounder = ImportedGrounders.Get("moment_detr");
        const string Sentence = "a man explains the slide";

        using var engine = VireoEngine.Open(library, new ModelChoice(model));
        var result = await engine.SearchAsync(Sentence, engine.Options.Search with { Grounder = grounder, TopMoments = 30 }, Frames.Ct);

        Assert.Equal(3, result.Videos.Count);
        var tokens = engine.Model.Text.EncodeTokens(Sentence);
        var bests = new List<double>();
        foreach (var hit in result.Videos)
        {
            var stored = engine.Library.ReadClips(hit.VideoId);
            var prediction = grounder.Predict(stored.AsSpan(), stored.Count, tokens.States.AsSpan(), tokens.Count);
            Assert.Equal(prediction.Saliency, hit.Saliency);
            Assert.NotEmpty(hit.Moments);
            var first = prediction.Moments[0];
            Assert.Equal(new TemporalWindow(first.Start, Math.Min(first.End, hit.Duration)), hit.Moments[0].Window);
            var expected = TrainedGroundingResult.From(prediction, new ClipGrid(hit.Duration, hit.ClipLength));
            bests.Add(expected.Moments.Max(m => TrainedGroundingResult.ComparableScore(m, prediction)));
        }
        Assert.Equal(bests.OrderByDescending(b => b), bests);
        Assert.Equal(result.Moments.Select(m => m.Score).OrderByDescending(s => s), result.Moments.Select(m => m.Score));
        Assert.Equal(bests[0], result.Moments[0].Score, 9);
    }

    [Fact]
    public async Task The_server_grounds_and_searches_with_the_grounder_it_was_started_with()
    {
        var model = (await TestModels.Width512HuggingFaceAsync()).Root;
        var library = TestVideos.NewPath("trained-library-server");
        using (var ingest = VireoEngine.OpenForIngest(library, new ModelChoice(model)))
            await ingest.IndexAsync([SharedData.Require("data/videos/talk.mp4")], cancellationToken: Frames.Ct);
        var grounder = ImportedGrounders.Get("cg_detr");
        using var engine = VireoEngine.Open(library, new ModelChoice(model));
        var defaults = new ServerOptions { Library = engine.Library, Model = engine.Model };
        await using var server = await TestServers.InMemoryAsync(defaults with { Search = defaults.Search with { Grounder = grounder } });
        var videoId = engine.Library.ListVideos().Single().Id;

        using var response = await server.Client.PostAsJsonAsync("/api/ground", new { video_id = videoId, query = "the revenue slide", top = 10 }, Frames.Ct);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Frames.Ct));

        var expected = engine.Ground(videoId, "the revenue slide", grounder, Frames.Ct);
        var saliency = json.RootElement.GetProperty("pred_saliency_scores").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(expected.Result.Saliency.Length, saliency.Length);
        Assert.Equal(expected.Result.Saliency.ToArray().Select(v => (double)v), saliency, (a, b) => Math.Abs(a - b) < 1e-3);
        var first = json.RootElement.GetProperty("pred_relevant_windows")[0];
        Assert.Equal(expected.Result.Moments[0].Start, first[0].GetDouble(), 2);

        using var search = await server.Client.GetAsync("/api/search?q=the%20revenue%20slide", Frames.Ct);
        search.EnsureSuccessStatusCode();
        Assert.Contains("pred_relevant_windows", await search.Content.ReadAsStringAsync(Frames.Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_library_of_another_models_width_is_refused_for_a_trained_grounder()
    {
        var model = (await TestModels.TinyHuggingFaceAsync()).Root;
        var library = TestVideos.NewPath("trained-library-narrow");
        using (var ingest = VireoEngine.OpenForIngest(library, new ModelChoice(model)))
            await ingest.IndexAsync([SharedData.Require("data/videos/demo.mp4")], cancellationToken: Frames.Ct);

        using var engine = VireoEngine.Open(library, new ModelChoice(model));
        var error = await Assert.ThrowsAsync<ConflictException>(() =>
            engine.SearchAsync("a dog", engine.Options.Search with { Grounder = ImportedGrounders.Get("moment_detr") }, Frames.Ct));

        Assert.Contains("32-d clips", error.Message, StringComparison.Ordinal);
        Assert.Contains("512-d", error.Message, StringComparison.Ordinal);
    }
}
