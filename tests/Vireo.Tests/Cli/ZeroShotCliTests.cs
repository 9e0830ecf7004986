using System.IO.Compression;
using System.Text.Json;
using Vireo.Cli;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Research.Features;
using Vireo.Tests.Support;
using Vireo.Cli.Terminal;

namespace Vireo.Tests.Cli;

/// <summary>vireo eval zero-shot: Vireo's grounding on precomputed features, scored with the official metrics.</summary>
public class ZeroShotCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => ResearchCliTests.RunAsync(args);

    private static string Root => ResearchCliTests.Root;

    private static string[] SharedFeatures(params string[] more) =>
    [
        "eval", "zero-shot", "-d", "qvhighlights", "--split", "train", "--data-root", Root,
        "--video-features", SharedData.Require("data/features"), "--text-features", SharedData.Require("data/features"),
        "--video-file", "qvh_{vid}_clip_video.npz", "--text-file", "qvh_qid{qid}_clip_text.npz", .. more,
    ];

    [Fact]
    public async Task Qvhighlights_train_query_with_features_is_grounded_and_scored()
    {
        var predictions = TestVideos.NewPath("zero-shot.jsonl");

        var (code, output, error) = await RunAsync(SharedFeatures("--json", "--predictions", predictions));
        var (textCode, text, _) = await RunAsync(SharedFeatures());

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("1 of 7218 queries have features", error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        var brief = json.RootElement.GetProperty("brief");
        Assert.Equal(100, brief.GetProperty("MR-full-R1@0.5").GetDouble());
        Assert.Equal(82.5, brief.GetProperty("MR-full-mAP").GetDouble());
        Assert.Equal(68.27, brief.GetProperty("HL-min-Fair-mAP").GetDouble());
        var written = Assert.Single(await PredictionFile.ReadAsync(predictions, Ct));
        Assert.Equal("5263", written.QueryId);
        Assert.Equal("qtyBzFV9yTs_60.0_210.0", written.VideoId);
        Assert.Equal(10, written.Windows.Count);
        Assert.Equal((76, 108), (written.Windows[0].Start, written.Windows[0].End));
        Assert.Equal(75, written.SaliencyScores!.Count);
        Assert.Equal(ExitCodes.Ok, textCode);
        Assert.Contains("MR-full-mAP", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grounder_options_reach_the_grounder()
    {
        var predictions = TestVideos.NewPath("zero-shot-options.jsonl");

        var (code, _, _) = await RunAsync(SharedFeatures("--top-k", "3", "--moment-nms", "0.3", "--max-span", "20", "--generators", "map,events",
            "--statistic", "z", "--predictions", predictions, "--json"));

        Assert.Equal(ExitCodes.Ok, code);
        var written = Assert.Single(await PredictionFile.ReadAsync(predictions, Ct));
        Assert.Equal(3, written.Windows.Count);
        Assert.All(written.Windows, w => Assert.True(w.End - w.Start <= 20));
    }

    [Theory]
    [InlineData("--generators", "sliding,magic", "unknown generator 'magic'", ExitCodes.Usage)]
    [InlineData("--text-key", "last_hidden_state", "pooler_output", ExitCodes.InputError)] // the feature file holds no sentence embedding there
    [InlineData("--moment-nms", "2", "--moment-nms: 2 is not an IoU between 0 and 1", ExitCodes.Usage)]
    [InlineData("--clip-length", "0", "--clip-length", ExitCodes.Usage)]
    public async Task Bad_option_values_are_usage_errors_and_bad_features_input_errors(string option, string value, string message, int expected)
    {
        var (code, output, error) = await RunAsync(SharedFeatures(option, value));

        Assert.Equal(expected, code);
        Assert.Empty(output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_name_pattern_needs_its_placeholder()
    {
        var features = SharedData.Require("data/features");

        var (code, _, error) = await RunAsync("eval", "zero-shot", "-d", "qvh", "--split", "train", "--data-root", Root,
            "--video-features", features, "--text-features", features, "--video-file", "{qid}.npz");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("has no {vid}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_features_and_didemo_are_refused()
    {
        var empty = TestVideos.NewPath("no-features");
        Directory.CreateDirectory(empty);

        var (code, _, error) = await RunAsync("eval", "zero-shot", "-d", "qvhighlights", "--split", "val", "--data-root", Root,
            "--video-features", empty, "--text-features", empty, "--json");
        var (didemoCode, _, didemoError) = await RunAsync("eval", "zero-shot", "-d", "didemo", "--split", "val", "--data-root", Root,
            "--video-features", empty, "--text-features", empty);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("no query of", error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, didemoCode);
        Assert.Contains("5-second grid", didemoError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Charades_sta_queries_with_features_are_scored_by_recall_at_iou()
    {
        // Features for two Charades-STA test queries of different videos, written in the moment_detr layout: one random direction
        // per video plus the sentence direction on the ground-truth clips, and the sentence embedding as pooler_output.
        var truth = await DatasetCatalog.LoadGroundingAsync("charades-sta", "test", Root, cancellationToken: Ct);
        var folder = TestVideos.NewPath("charades-features");
        Directory.CreateDirectory(folder);
        var random = new Random(3);
        foreach (var query in truth.Queries.DistinctBy(q => q.VideoId).Take(2))
        {
            var clips = (int)Math.Ceiling(query.Duration / 2);
            var sentence = Enumerable.Range(0, 16).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            var data = new float[clips * 16];
            for (var c = 0; c < clips; c++)
            {
                var inside = c * 2 + 1 > query.Windows[0].Start && c * 2 + 1 < query.Windows[0].End;
                for (var d = 0; d < 16; d++)
                    data[c * 16 + d] = (float)random.NextDouble() - 0.5f + (inside ? 2 * sentence[d] : 0);
            }
            WriteNpz(Path.Combine(folder, $"{query.VideoId}.npz"), "features", new FeatureArray(data, [clips, 16]));
            WriteNpz(Path.Combine(folder, $"qid{query.QueryId}.npz"), "pooler_output", new FeatureArray(sentence, [16]));
        }

        var predictions = TestVideos.NewPath("zero-shot-charades.jsonl");
        var (code, output, error) = await RunAsync("eval", "zero-shot", "-d", "charades-sta", "--data-root", Root,
            "--video-features", folder, "--text-features", folder, "--json", "-p", predictions);
        var (vslnetCode, vslnetOutput, _) = await RunAsync("eval", "zero-shot", "-d", "charades-sta", "--data-root", Root,
            "--video-features", folder, "--text-features", folder, "--json", "--protocol", "vslnet");
        var (strictCode, strictOutput, _) = await RunAsync("eval", "zero-shot", "-d", "charades-sta", "--data-root", Root,
            "--video-features", folder, "--text-features", folder, "--json", "--convention", "strict");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("2 of 3720 queries", error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetProperty("queries").GetInt32());
        Assert.Equal("2d-tan", json.RootElement.GetProperty("protocol").GetString());
        Assert.Equal(100, json.RootElement.GetProperty("metrics").GetProperty("R@5,IoU=0.3").GetDouble());
        Assert.Equal(ExitCodes.Ok, vslnetCode);
        using var vslnet = JsonDocument.Parse(vslnetOutput);
        Assert.Equal("vslnet", vslnet.RootElement.GetProperty("protocol").GetString());
        Assert.False(vslnet.RootElement.GetProperty("metrics").TryGetProperty("R@5,IoU=0.3", out _), "VSLNet reports R@1 only");
        Assert.Equal(ExitCodes.Ok, strictCode);
        Assert.Equal("strict", JsonDocument.Parse(strictOutput).RootElement.GetProperty("convention").GetString());
    }

    [Fact]
    public async Task Zero_shot_scores_equal_eval_grounding_of_its_own_predictions_under_each_protocol()
    {
        var folder = TestVideos.NewPath("zero-shot-protocols");
        Directory.CreateDirectory(folder);
        var truth = await Vireo.Research.Datasets.DatasetCatalog.LoadGroundingFileAsync("charades-sta",
            Vireo.Research.Datasets.DatasetCatalog.AnnotationPath("charades-sta", "test", Root), new(), null, Ct);
        var random = new Random(5);
        var videos = truth.Queries.Select(q => q.VideoId).Distinct().Take(6).ToHashSet();
        var queries = truth.Queries.Where(q => videos.Contains(q.VideoId)).ToList(); // every query of those videos: each has its features
        foreach (var query in queries)
        {
            var clips = (int)Math.Ceiling(query.Duration / 2);
            var sentence = Enumerable.Range(0, 16).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            var data = Enumerable.Range(0, clips * 16).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            var video = Path.Combine(folder, $"{query.VideoId}.npz");
            if (!File.Exists(video))
                WriteNpz(video, "features", new FeatureArray(data, [clips, 16]));
            WriteNpz(Path.Combine(folder, $"qid{query.QueryId}.npz"), "pooler_output", new FeatureArray(sentence, [16]));
        }
        var subset = TestVideos.NewPath("charades_sta_subset.txt");
        var durations = Path.Combine(Root, "charades_sta", "Charades_v1_test.csv");
        await File.WriteAllLinesAsync(subset, File.ReadLines(Vireo.Research.Datasets.DatasetCatalog.AnnotationPath("charades-sta", "test", Root))
            .Where(line => queries.Any(q => line.StartsWith(q.VideoId + " ", StringComparison.Ordinal))), Ct);

        foreach (var scoring in new[] { new[] { "--protocol", "2d-tan" }, ["--protocol", "vslnet"], ["--convention", "inclusive"] })
        {
            var predictions = TestVideos.NewPath("zero-shot-protocol-predictions.jsonl");
            var (code, zeroShot, _) = await RunAsync(["eval", "zero-shot", "-d", "charades-sta", "--data-root", Root, "-g", subset, "--durations", durations,
                "--video-features", folder, "--text-features", folder, "--json", "-p", predictions, .. scoring]);
            var (evalCode, evaluated, _) = await RunAsync(["eval", "grounding", "-d", "charades-sta", "--data-root", Root, "-g", subset, "--durations", durations,
                "-p", predictions, "--json", .. scoring]);

            Assert.Equal(ExitCodes.Ok, code);
            Assert.Equal(ExitCodes.Ok, evalCode);
            var expected = JsonDocument.Parse(evaluated).RootElement.GetProperty("metrics");
            var actual = JsonDocument.Parse(zeroShot).RootElement.GetProperty("metrics");
            Assert.Equal(expected.EnumerateObject().Select(p => (p.Name, p.Value.GetDouble())), actual.EnumerateObject().Select(p => (p.Name, p.Value.GetDouble())));
            Assert.True(expected.EnumerateObject().Any(p => p.Value.GetDouble() is > 0 and < 100), "the check needs scores that are neither 0 nor 100: " + evaluated);
        }
    }

    private static void WriteNpz(string path, string key, FeatureArray array)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using var entry = zip.CreateEntry(key + ".npy").Open();
        NpyFile.Write(entry, array);
    }
}
