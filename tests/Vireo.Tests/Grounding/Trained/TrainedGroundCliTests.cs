using System.Text.Json;
using Vireo.Cli.Terminal;
using Vireo.Embedding.GrounderFeatures;
using Vireo.Models;
using Vireo.Tests.Support;

namespace Vireo.Tests.Grounding.Trained;

/// <summary><c>vireo ground VIDEO "sentence" --grounder NAME</c>: a trained grounder on features computed from the file.</summary>
public class TrainedGroundCliTests
{
    [Fact]
    public async Task A_trained_grounder_grounds_a_real_video_from_its_own_features_and_answers_in_the_submission_form()
    {
        var model = (await TestModels.Width512HuggingFaceAsync()).Root;
        var video = SharedData.Require("data/videos/talk.mp4");
        var grounder = ImportedGrounders.Get("qd_detr");
        const string Sentence = "the slide with the revenue figures";

        var (code, output, error) = await CliRunner.RunAsync("ground", video, Sentence, "--grounder", grounder.Folder, "--model", model, "--top", "10", "--json");

        Assert.True(code == ExitCodes.Ok, error);
        using var json = JsonDocument.Parse(output);
        var windows = json.RootElement.GetProperty("pred_relevant_windows").EnumerateArray().Select(w => w.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var saliency = json.RootElement.GetProperty("pred_saliency_scores").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var duration = json.RootElement.GetProperty("duration").GetDouble();

        // The same computation through the engine's parts: Lighthouse's clip features, the model's token features, the grounder.
        using var clip = EmbeddingModel.Load(model);
        var features = await ClipFeatureExtractor.ExtractAllAsync(clip, video, cancellationToken: Frames.Ct);
        var tokens = clip.Text.EncodeTokens(Sentence);
        var expected = grounder.Predict(features.Features.AsSpan(), features.Count, tokens.States.AsSpan(), tokens.Count);

        Assert.Equal(25, features.Count);                               // 49 s in 2-s clips, the half clip at the end counted
        Assert.Equal(features.Count, saliency.Length);
        Assert.Equal(expected.Saliency.Select(v => (double)v), saliency, (a, b) => Math.Abs(a - b) < 1e-3);
        Assert.NotEmpty(windows);
        Assert.All(windows, w => Assert.True(w[0] >= 0 && w[0] < w[1] && w[1] <= duration, $"[{w[0]}, {w[1]}] is not inside the {duration}-s video"));
        Assert.Equal(windows.Select(w => w[2]).OrderByDescending(s => s), windows.Select(w => w[2]));
        var best = expected.Moments[0];
        Assert.Equal(Math.Min(best.End, duration), windows[0][1], 2);
        Assert.Equal(best.Start, windows[0][0], 2);
    }

    [Fact]
    public async Task An_immich_model_without_token_features_is_refused_saying_what_is_needed()
    {
        var model = (await TestModels.TinyImmichAsync()).Root;
        var video = SharedData.Require("data/videos/demo.mp4");

        var (code, _, error) = await CliRunner.RunAsync("ground", video, "a dog", "--grounder", ImportedGrounders.Get("moment_detr").Folder, "--model", model);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains(model, error, StringComparison.Ordinal);
        Assert.Contains("last_hidden_state", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_of_another_width_is_refused_naming_both_widths()
    {
        var model = (await TestModels.TinyHuggingFaceAsync()).Root;
        var video = SharedData.Require("data/videos/demo.mp4");

        var (code, _, error) = await CliRunner.RunAsync("ground", video, "a dog", "--grounder", ImportedGrounders.Get("moment_detr").Folder, "--model", model);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("gives 32-d embeddings", error, StringComparison.Ordinal);
        Assert.Contains("512-d clip features", error, StringComparison.Ordinal);
    }
}
