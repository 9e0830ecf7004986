using System.Text.Json;
using Vireo.Cli;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Research.Features;
using Vireo.Grounding;
using Vireo.Tests.Support;
using Vireo.Temporal;
using Vireo.Cli.Terminal;

namespace Vireo.Tests.Cli;

/// <summary>vireo eval grounding / eval retrieval / baseline on the real ../shared files.</summary>
public class ResearchCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Runs the command line in-process; also used by the other research command tests.</summary>
    internal static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await VireoCli.InvokeAsync(args, new CliConsole(output, error, interactive: false), Ct);
        return (code, output.ToString(), error.ToString());
    }

    internal static string Root => SharedData.Require("data");

    /// <summary>Predictions that copy the ground truth's first window, then add a wrong one.</summary>
    private static async Task<string> OraclePredictionsAsync(GroundingDataset truth)
    {
        var path = TestVideos.NewPath("oracle.jsonl");
        await PredictionFile.WriteAsync(path, truth.Queries.Select(q => new GroundingPrediction(q.QueryId,
            [new ScoredWindow(q.Windows[0], 1), new ScoredWindow(0, q.Duration, 0.5)]) { VideoId = q.VideoId }), Ct);
        return path;
    }

    [Fact]
    public async Task Eval_grounding_on_charades_sta()
    {
        var truth = await DatasetCatalog.LoadGroundingAsync("charades-sta", "test", Root, cancellationToken: Ct);
        var predictions = await OraclePredictionsAsync(truth);

        var (code, output, _) = await RunAsync("eval", "grounding", "--dataset", "charades-sta", "--data-root", Root, "--predictions", predictions, "--json", "--convention", "strict");
        var (defaultCode, defaultOutput, _) = await RunAsync("eval", "grounding", "--dataset", "charades-sta", "--data-root", Root, "--predictions", predictions, "--json");

        Assert.Equal(ExitCodes.Ok, defaultCode);
        using (var official = JsonDocument.Parse(defaultOutput))
        {
            Assert.Equal("2d-tan", official.RootElement.GetProperty("protocol").GetString());
            Assert.Equal(3720, official.RootElement.GetProperty("queries").GetInt32());
            // 2D-TAN clips the ground-truth end to the video: the 562 windows annotated past the end no longer match exactly.
            Assert.True(official.RootElement.GetProperty("metrics").GetProperty("mIoU").GetDouble() < 100);
        }
        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(3720, json.RootElement.GetProperty("queries").GetInt32());
        Assert.Equal("strict", json.RootElement.GetProperty("convention").GetString());
        Assert.Equal(100, json.RootElement.GetProperty("metrics").GetProperty("R@1,IoU=0.7").GetDouble());
        Assert.Equal(100, json.RootElement.GetProperty("metrics").GetProperty("mIoU").GetDouble(), 9);
    }

    [Fact]
    public async Task Eval_grounding_qvhighlights_writes_the_official_keys()
    {
        var truth = await DatasetCatalog.LoadGroundingAsync("qvhighlights", "val", Root, cancellationToken: Ct);
        var predictions = await OraclePredictionsAsync(truth);

        var (code, output, _) = await RunAsync("eval", "grounding", "-d", "qvh", "--split", "val", "--data-root", Root, "-p", predictions, "--json");
        var (textCode, text, _) = await RunAsync("eval", "grounding", "-d", "qvhighlights", "-g", truth.Path, "-p", predictions);

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var brief = json.RootElement.GetProperty("brief");
        Assert.Equal(100, brief.GetProperty("MR-full-R1@0.5").GetDouble());
        Assert.Equal(100, brief.GetProperty("MR-full-R1@0.7").GetDouble());
        Assert.True(brief.GetProperty("MR-full-mAP").GetDouble() is > 50 and < 100); // queries with several windows miss the others
        Assert.True(json.RootElement.TryGetProperty("short", out _));
        Assert.Equal(ExitCodes.Ok, textCode);
        Assert.Contains("MR-full-R1@0.5", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_grounding_rejects_a_bad_prediction_file_naming_the_line()
    {
        var path = TestVideos.NewPath("bad.jsonl");
        await File.WriteAllTextAsync(path, "{\"qid\": 0, \"pred_relevant_windows\": [[1, 2, 1]]}\n{\"qid\": 1, \"pred_relevant_windows\": [[9, 2]]}\n", Ct);

        var (code, output, error) = await RunAsync("eval", "grounding", "-d", "charades-sta", "--data-root", Root, "-p", path);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Empty(output);
        Assert.Contains(path + ":2:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_grounding_qvhighlights_requires_matching_queries_unless_partial()
    {
        var path = TestVideos.NewPath("one.jsonl");
        await File.WriteAllTextAsync(path, "{\"qid\": 2579, \"pred_relevant_windows\": [[0, 10, 1]]}\n", Ct);

        var (code, _, error) = await RunAsync("eval", "grounding", "-d", "qvhighlights", "--split", "val", "--data-root", Root, "-p", path);
        var (partialCode, _, _) = await RunAsync("eval", "grounding", "-d", "qvhighlights", "--split", "val", "--data-root", Root, "-p", path, "--partial");

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("1549 queries have no prediction", error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, partialCode);
    }

    [Fact]
    public async Task Eval_retrieval_from_a_similarity_matrix_and_from_ranked_lists()
    {
        var captions = await MsrVtt.LoadAsync(SharedData.Require("data/msrvtt/MSRVTT_JSFUSION_test.csv"), Ct);
        var n = captions.Captions.Count;
        var sims = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            sims[i * n + i] = 1;
            sims[i * n + (i + 1) % n] = i % 2 == 0 ? 2 : 0; // every even caption has one video above its own
        }
        var npy = TestVideos.NewPath("sims.npy");
        using (var stream = File.Create(npy))
            NpyFile.Write(stream, new FeatureArray(sims, [n, n]));
        var jsonl = TestVideos.NewPath("ranked.jsonl");
        await File.WriteAllLinesAsync(jsonl, captions.Captions.Select((c, i) =>
            JsonSerializer.Serialize(new Dictionary<string, object> { ["qid"] = c.QueryId, ["ranked_videos"] = i < 100 ? new[] { c.VideoId } : new[] { "x", "y", c.VideoId } })), Ct);

        var (code, output, _) = await RunAsync("eval", "retrieval", "--data-root", Root, "-p", npy, "--json");
        var (listCode, listOutput, _) = await RunAsync("eval", "retrieval", "--data-root", Root, "-p", jsonl, "--json");

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("single", json.RootElement.GetProperty("setting").GetString());
        var metrics = json.RootElement.GetProperty("metrics");
        Assert.Equal(50, metrics.GetProperty("R1").GetDouble());
        Assert.Equal(100, metrics.GetProperty("R5").GetDouble());
        Assert.Equal(1.5, metrics.GetProperty("MR").GetDouble());
        Assert.Equal(ExitCodes.Ok, listCode);
        using var listJson = JsonDocument.Parse(listOutput);
        Assert.Equal(10, listJson.RootElement.GetProperty("metrics").GetProperty("R1").GetDouble());
        Assert.Equal(3, listJson.RootElement.GetProperty("metrics").GetProperty("MR").GetDouble());
    }

    [Fact]
    public async Task Baseline_whole_video_and_kde_prior_with_predictions()
    {
        var output = TestVideos.NewPath("kde.jsonl");

        var (code, text, _) = await RunAsync("baseline", "whole-video", "-d", "charades-sta", "--data-root", Root);
        var (kdeCode, json, _) = await RunAsync("baseline", "kde-prior", "-d", "charades-sta", "--data-root", Root, "--seeds", "0,1", "-o", output, "--json");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("3720 queries", text, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, kdeCode);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal([0, 1], doc.RootElement.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        var r1 = doc.RootElement.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "R@1,IoU=0.5");
        Assert.InRange(r1.GetProperty("mean").GetDouble(), 21.6, 25.6);
        Assert.Equal("2d-tan", doc.RootElement.GetProperty("protocol").GetString());
        Assert.Equal(3720, (await PredictionFile.ReadAsync(output, Ct)).Count);
        Assert.Contains("2D-TAN protocol", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Baseline_scores_under_the_protocol_eval_grounding_gives_its_predictions()
    {
        var output = TestVideos.NewPath("uniform.jsonl");
        foreach (var scoring in new[] { new[] { "--protocol", "2d-tan" }, ["--protocol", "vslnet"], ["--convention", "strict"] })
        {
            var (code, json, _) = await RunAsync(["baseline", "uniform-random", "-d", "charades-sta", "--data-root", Root, "--seeds", "3", "-o", output, "--json", .. scoring]);
            var (evalCode, evaluated, _) = await RunAsync(["eval", "grounding", "-d", "charades-sta", "--data-root", Root, "-p", output, "--json", .. scoring]);

            Assert.Equal(ExitCodes.Ok, code);
            Assert.Equal(ExitCodes.Ok, evalCode);
            var expected = JsonDocument.Parse(evaluated).RootElement.GetProperty("metrics").EnumerateObject().Select(p => (p.Name, p.Value.GetDouble()));
            var actual = JsonDocument.Parse(json).RootElement.GetProperty("metrics").EnumerateArray().Select(m => (m.GetProperty("name").GetString()!, m.GetProperty("mean").GetDouble()));
            Assert.Equal(expected, actual);
        }
        var (refused, _, error) = await RunAsync("baseline", "whole-video", "-d", "qvhighlights", "--split", "val", "--data-root", Root, "--protocol", "moment-detr");
        Assert.Equal(ExitCodes.Usage, refused);
        Assert.Contains("eval grounding --protocol", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_dataset_and_bad_convention()
    {
        var (code, _, error) = await RunAsync("baseline", "whole-video", "-d", "nope", "--data-root", Root);
        var (usage, _, _) = await RunAsync("eval", "grounding", "-d", "tacos", "-p", "x.jsonl", "--convention", "loose");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("unknown dataset 'nope'", error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, usage);
    }
}
