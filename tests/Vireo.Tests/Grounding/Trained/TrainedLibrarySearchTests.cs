using Vireo.Engine;
using Vireo.Errors;
using Vireo.Grounding.Trained;
using Vireo.Temporal;
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
