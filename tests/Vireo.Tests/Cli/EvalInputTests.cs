using System.Text.Json;
using Vireo.Cli.Terminal;
using Vireo.Errors;
using Vireo.Research.Baselines;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cli;

/// <summary>
/// Issue 18: what the evaluation refuses (ground truth without windows, predictions without windows or scores) and how
/// it says so: file:line and a plain sentence, never .NET's "(Parameter '...')" or "LineNumber: 0 | BytePositionInLine".
/// </summary>
public class EvalInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => ResearchCliTests.RunAsync(args);

    private const string Gt1 = """{"qid": 1, "query": "a", "duration": 150, "vid": "v1", "relevant_windows": [[0, 10]], "relevant_clip_ids": [0, 1], "saliency_scores": [[1, 2, 3], [1, 2, 3]]}""";
    private const string Gt2 = """{"qid": 2, "query": "b", "duration": 150, "vid": "v2", "relevant_windows": [[20, 40]], "relevant_clip_ids": [10, 11], "saliency_scores": [[1, 2, 3], [1, 2, 3]]}""";
    private const string Gt3 = """{"qid": 3, "query": "c", "duration": 150, "vid": "v3", "relevant_windows": [[50, 60]], "relevant_clip_ids": [25], "saliency_scores": [[1, 2, 3]]}""";
    private const string P1 = """{"qid": 1, "pred_relevant_windows": [[0, 10, 0.9]]}""";
    private const string P2 = """{"qid": 2, "pred_relevant_windows": [[20, 40, 0.9]]}""";
    private const string P3 = """{"qid": 3, "pred_relevant_windows": [[50, 60, 0.9]]}""";

    private static async Task<string> WriteAsync(string name, params string[] lines)
    {
        var path = TestVideos.NewPath(name);
        await File.WriteAllTextAsync(path, string.Join('\n', lines) + "\n", Ct);
        return path;
    }

    private static void AssertPlain(string error)
    {
        Assert.DoesNotContain("(Parameter", error, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", error, StringComparison.Ordinal);
        Assert.DoesNotContain("given key", error, StringComparison.Ordinal);
    }

    /// <summary>An input error (exit 2, nothing on standard output) whose message holds <paramref name="where"/> and no .NET wording.</summary>
    private static void AssertInputError((int Code, string Out, string Error) run, string where)
    {
        Assert.Equal(ExitCodes.InputError, run.Code);
        Assert.Empty(run.Out);
        Assert.Contains(where, run.Error, StringComparison.Ordinal);
        AssertPlain(run.Error);
    }

    /// <summary>A --json input error: its path is <paramref name="subject"/> and its message starts with <paramref name="prefix"/> in plain words.</summary>
    private static string AssertJsonInputError((int Code, string Out, string Error) run, string subject, string prefix)
    {
        Assert.Equal(ExitCodes.InputError, run.Code);
        Assert.Empty(run.Out);
        using var json = JsonDocument.Parse(run.Error);
        var root = json.RootElement;
        var message = root.GetProperty("message").GetString()!;
        Assert.Equal("input_error", root.GetProperty("error").GetString());
        Assert.Equal(subject, root.GetProperty("path").GetString());
        Assert.StartsWith(prefix, message, StringComparison.Ordinal);
        AssertPlain(message);
        return message;
    }

    [Fact]
    public async Task A_ground_truth_line_without_relevant_windows_is_refused_naming_file_and_line()
    {
        var truth = await WriteAsync("gt.jsonl", Gt1, """{"qid": 2, "query": "b", "duration": 150, "vid": "v2"}""", Gt3);
        var predictions = await WriteAsync("pred.jsonl", P1, P2, P3);

        var message = AssertJsonInputError(await RunAsync("eval", "grounding", "-d", "qvhighlights", "-g", truth, "-p", predictions, "--json"), truth, truth + ":2: ");

        Assert.Contains("relevant_windows", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_the_public_test_release_without_ground_truth_cannot_be_scored()
    {
        var release = SharedData.Require("data/qvhighlights/highlight_test_release.jsonl");
        var queries = (await QvHighlights.LoadAsync(release, cancellationToken: Ct)).Queries;
        var predictions = queries.Select(q => new GroundingPrediction(q.QueryId, [new(0, 10, 1)])).ToArray();

        var e = Assert.Throws<DatasetFormatException>(() => QvHighlightsEvaluator.Evaluate(queries, predictions));
        var metrics = Assert.Throws<DatasetFormatException>(() => GroundingMetrics.Evaluate(queries, predictions.ToDictionary(p => p.QueryId)));

        Assert.Equal(release, e.FilePath);
        Assert.Equal(1, e.Line);
        Assert.Equal(ErrorKind.Input, e.Kind);
        Assert.Equal(release, metrics.FilePath);
    }

    /// <summary>B: a line without pred_relevant_windows; C: a window [start, end] without its score.</summary>
    [Theory]
    [InlineData("""{"qid": 3, "pred_saliency_scores": [1, 2]}""", "has no pred_relevant_windows")]
    [InlineData("""{"qid": 3, "pred_relevant_windows": [[50, 60]]}""", "window [50, 60] has no score")]
    public async Task B_C_a_prediction_without_windows_or_a_window_without_score_is_refused(string third, string reason)
    {
        var truth = await WriteAsync("gt.jsonl", Gt1, Gt2, Gt3);
        var predictions = await WriteAsync("pred.jsonl", P1, P2, third);

        var e = await Assert.ThrowsAsync<DatasetFormatException>(() => PredictionFile.ReadAsync(predictions, Ct));

        Assert.Equal(3, e.Line);
        Assert.Equal(predictions, e.Subject);
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        AssertInputError(await RunAsync("eval", "grounding", "-d", "qvhighlights", "-g", truth, "-p", predictions), predictions + ":3: ");
    }

    [Fact]
    public async Task D_no_common_query_names_the_prediction_file_in_a_plain_sentence()
    {
        var truth = await WriteAsync("gt.jsonl", Gt1, Gt2, Gt3);
        var predictions = await WriteAsync("pred.jsonl", """{"qid": 99, "pred_relevant_windows": [[0, 10, 0.9]]}""");

        AssertJsonInputError(await RunAsync("eval", "grounding", "-d", "qvhighlights", "-g", truth, "-p", predictions, "--partial", "--json"),
            predictions, predictions + ": ");
    }

    [Fact]
    public async Task D_a_saliency_clip_outside_the_video_names_the_ground_truth_line()
    {
        var truth = await WriteAsync("gt.jsonl", Gt1,
            """{"qid": 2, "query": "b", "duration": 4, "vid": "v2", "relevant_windows": [[0, 4]], "relevant_clip_ids": [5], "saliency_scores": [[1, 2, 3]]}""");
        var predictions = await WriteAsync("pred.jsonl",
            """{"qid": 1, "pred_relevant_windows": [[0, 10, 0.9]], "pred_saliency_scores": [1, 1]}""",
            """{"qid": 2, "pred_relevant_windows": [[0, 4, 0.9]], "pred_saliency_scores": [1, 1]}""");

        AssertJsonInputError(await RunAsync("eval", "grounding", "-d", "qvhighlights", "-g", truth, "-p", predictions, "--json"), truth, truth + ":2: ");
    }

    [Fact]
    public async Task D_saliency_missing_on_one_side_names_the_line()
    {
        var truth = await WriteAsync("gt.jsonl", Gt1, """{"qid": 2, "query": "b", "duration": 150, "vid": "v2", "relevant_windows": [[20, 40]]}""");
        var predictions = await WriteAsync("pred.jsonl",
            """{"qid": 1, "pred_relevant_windows": [[0, 10, 0.9]], "pred_saliency_scores": [1, 1]}""",
            """{"qid": 2, "pred_relevant_windows": [[20, 40, 0.9]], "pred_saliency_scores": [1, 1]}""");
        var halfPredictions = await WriteAsync("half.jsonl",
            """{"qid": 1, "pred_relevant_windows": [[0, 10, 0.9]], "pred_saliency_scores": [1, 1]}""", P2);
        var fullTruth = await WriteAsync("gt.jsonl", Gt1, Gt2);

        AssertInputError(await RunAsync("eval", "grounding", "-d", "qvhighlights", "-g", truth, "-p", predictions), truth + ":2: ");
        AssertInputError(await RunAsync("eval", "grounding", "-d", "qvhighlights", "-g", fullTruth, "-p", halfPredictions), halfPredictions + ":2: ");
    }

    [Fact]
    public async Task D_malformed_json_says_where_without_dotnet_reader_positions()
    {
        var truth = await WriteAsync("gt.jsonl", Gt1, Gt2, Gt3);
        var predictions = await WriteAsync("pred.jsonl", P1, P2, """{"qid": 3, "pred_relevant_windows": [[50, 60, 0.9]] """);
        var tacos = await WriteAsync("tacos.json", "{", "  \"s27-d50.avi\": {\"num_frames\": 10,", "  oops", "}");

        AssertInputError(await RunAsync("eval", "grounding", "-d", "qvhighlights", "-g", truth, "-p", predictions), predictions + ":3: ");
        AssertInputError(await RunAsync("eval", "grounding", "-d", "tacos", "-g", tacos, "-p", predictions), tacos + ":3: ");
    }

    [Fact]
    public async Task D_didemo_window_off_the_grid_names_the_prediction_line()
    {
        var root = ResearchCliTests.Root;
        var truth = await DatasetCatalog.LoadGroundingAsync("didemo", "test", root, cancellationToken: Ct);
        var predictions = await WriteAsync("pred.jsonl",
            $$"""{"qid": "{{truth.Queries[0].QueryId}}", "pred_relevant_windows": [[0, 5, 0.9]]}""",
            $$"""{"qid": "{{truth.Queries[1].QueryId}}", "pred_relevant_windows": [[1, 7, 0.9]]}""");

        AssertInputError(await RunAsync("eval", "grounding", "-d", "didemo", "--data-root", root, "-p", predictions), predictions + ":2: ");
    }

    [Fact]
    public async Task D_bad_option_values_are_usage_errors_in_plain_words()
    {
        var predictions = await WriteAsync("pred.jsonl", P1);

        var (split, _, splitError) = await RunAsync("eval", "grounding", "-d", "tacos", "--split", "nope", "--data-root", ResearchCliTests.Root, "-p", predictions);
        var (dataset, _, datasetError) = await RunAsync("baseline", "whole-video", "-d", "nope", "--data-root", ResearchCliTests.Root);
        var (topK, _, topKError) = await RunAsync("eval", "zero-shot", "-d", "qvhighlights", "--data-root", ResearchCliTests.Root,
            "--video-features", TestVideos.Folder, "--text-features", TestVideos.Folder, "--top-k", "0");

        Assert.Equal(ExitCodes.Usage, split);
        Assert.Contains("tacos has no split 'nope'", splitError, StringComparison.Ordinal);
        AssertPlain(splitError);
        Assert.Equal(ExitCodes.Usage, dataset);
        Assert.Contains("unknown dataset 'nope'", datasetError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, topK);
        Assert.Contains("--top-k", topKError, StringComparison.Ordinal);
        AssertPlain(topKError);
    }

    [Fact]
    public async Task D_retrieval_inputs_name_the_file_in_plain_words()
    {
        var csv = await WriteAsync("multi.csv", "key,vid_key,video_id,sentence", "ret0,msr1,video1,a", "ret1,msr1,video1,b", "ret2,msr2,video2,c");
        var lists = await WriteAsync("ranked.jsonl", """{"qid": "ret0", "ranked_videos": ["video1"]}""", """{"qid": "ret1"}""");
        var goodLists = await WriteAsync("ranked.jsonl", """{"qid": "ret0", "ranked_videos": ["video1"]}""",
            """{"qid": "ret1", "ranked_videos": ["video1"]}""", """{"qid": "ret2", "ranked_videos": ["video2"]}""");

        var (code, _, error) = await RunAsync("eval", "retrieval", "-g", csv, "-p", lists);
        var (single, _, singleError) = await RunAsync("eval", "retrieval", "-g", csv, "-p", goodLists, "--setting", "single");

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains(lists + ":2: ", error, StringComparison.Ordinal);
        Assert.Contains("ranked_videos", error, StringComparison.Ordinal);
        AssertPlain(error);
        Assert.Equal(ExitCodes.Usage, single);
        Assert.Contains("--setting single", singleError, StringComparison.Ordinal);
        AssertPlain(singleError);
    }

    [Fact]
    public async Task D_kde_prior_without_training_windows_says_so()
    {
        var train = await WriteAsync("train.jsonl", """{"qid": 7, "query": "b", "duration": 150, "vid": "v2", "relevant_windows": []}""");

        var (code, _, error) = await RunAsync("baseline", "kde-prior", "-d", "qvhighlights", "--split", "val", "--data-root", ResearchCliTests.Root,
            "--train", train, "--seeds", "0");

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains(train, error, StringComparison.Ordinal);
        AssertPlain(error);
        Assert.Equal(ErrorKind.Input, Assert.ThrowsAny<VireoException>(() => KdePriorBaseline.Fit([])).Kind);
    }

    [Fact]
    public async Task E_a_missing_data_root_or_benchmark_folder_is_named_not_a_csv_inside()
    {
        var predictions = await WriteAsync("pred.jsonl", P1);
        var missing = Path.Combine(TestVideos.Folder, "no-such-data-root");
        var empty = Directory.CreateDirectory(TestVideos.NewPath("empty-root")).FullName;

        var message = AssertJsonInputError(await RunAsync("eval", "grounding", "-d", "charades-sta", "--data-root", missing, "-p", predictions, "--json"),
            missing, missing + ": ");
        var (folderCode, _, folderError) = await RunAsync("baseline", "whole-video", "-d", "charades-sta", "--data-root", empty);
        var (retrievalCode, _, retrievalError) = await RunAsync("eval", "retrieval", "--data-root", missing, "-p", predictions);
        var (fileCode, _, fileError) = await RunAsync("eval", "grounding", "-d", "charades-sta", "-g", Path.Combine(empty, "charades_sta_test.txt"), "-p", predictions);

        Assert.DoesNotContain("csv", message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("does not exist", message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputError, folderCode);
        Assert.Contains(Path.Combine(empty, "charades_sta"), folderError, StringComparison.Ordinal);
        Assert.DoesNotContain("csv", folderError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ExitCodes.InputError, retrievalCode);
        Assert.Contains(missing, retrievalError, StringComparison.Ordinal);
        Assert.DoesNotContain(".csv", retrievalError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InputError, fileCode);
        Assert.DoesNotContain("Charades_v1", fileError, StringComparison.Ordinal);
        Assert.Contains("does not exist", fileError, StringComparison.Ordinal);
    }
}
