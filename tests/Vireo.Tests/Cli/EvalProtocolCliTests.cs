using System.Text.Json;
using Vireo.Cli.Terminal;
using Vireo.Research.Features;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cli;

/// <summary>'vireo eval' --protocol, stored precision, and the messages of refused predictions and matrices.</summary>
public class EvalProtocolCliTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => ResearchCliTests.RunAsync(args);

    private const string DiDeMoTruth = """[{"annotation_id": 7, "video": "v", "description": "a dog", "num_segments": 6, "times": [[2, 2], [2, 3], [2, 2], [1, 2]]}]""";

    private static async Task<string> WriteAsync(string name, string text)
    {
        var path = TestVideos.NewPath(name);
        await File.WriteAllTextAsync(path, text, Ct);
        return path;
    }

    [Fact]
    public async Task DiDeMo_scores_a_zero_length_window_on_the_grid_and_names_an_off_grid_one()
    {
        var truth = await WriteAsync("didemo.json", DiDeMoTruth);
        var zero = await WriteAsync("zero.jsonl", """{"qid": "7", "pred_relevant_windows": [[10, 10, 0.9], [10, 15, 0.5], [10, 20, 0.4], [5, 15, 0.1]]}""" + "\n");
        var off = await WriteAsync("off.jsonl", """{"qid": "7", "pred_relevant_windows": [[10, 15, 0.9], [3.2, 7.9, 0.5]]}""" + "\n");

        var (code, output, _) = await RunAsync("eval", "grounding", "-d", "didemo", "-g", truth, "-p", zero, "--json");
        var (offCode, _, error) = await RunAsync("eval", "grounding", "-d", "didemo", "-g", truth, "-p", off);

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        // [10, 10] is the pair (2, 1): rank 1 matches no annotator; [10, 15] = (2, 2) is rank 2, twice; (2, 3) rank 3 → mean 7/3.
        Assert.Equal(0, json.RootElement.GetProperty("metrics").GetProperty("R@1").GetDouble());
        Assert.Equal(100, json.RootElement.GetProperty("metrics").GetProperty("R@5").GetDouble());
        Assert.Equal(ExitCodes.InputError, offCode);
        Assert.Contains(off + ":1:", error, StringComparison.Ordinal);
        Assert.Contains("[3.2, 7.9] is not on DiDeMo's 5-second grid", error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inverted_windows_are_scored_with_a_warning_that_counts_them()
    {
        var truth = await WriteAsync("didemo.json", DiDeMoTruth);
        var inverted = await WriteAsync("inverted.jsonl", """{"qid": "7", "pred_relevant_windows": [[10, 15, 0.9], [15, 5, 0.5], [25, 10, 0.4]]}""" + "\n");

        var (code, _, error) = await RunAsync("eval", "grounding", "-d", "didemo", "-g", truth, "-p", inverted);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"warning: {inverted}: 2 windows on 1 lines have their start after their end", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Protocol_names_are_checked_against_the_dataset_and_the_convention()
    {
        var (wrong, _, wrongError) = await RunAsync("eval", "grounding", "-d", "charades-sta", "-p", "x.jsonl", "--protocol", "didemo");
        var (both, _, bothError) = await RunAsync("eval", "grounding", "-d", "tacos", "-p", "x.jsonl", "--protocol", "2d-tan", "--convention", "strict");
        var (unknown, _, unknownError) = await RunAsync("eval", "retrieval", "-p", "x.npy", "--protocol", "clip");

        Assert.Equal(ExitCodes.Usage, wrong);
        Assert.Contains("protocol didemo does not score charades-sta; use 2d-tan or vslnet", wrongError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, both);
        Assert.Contains("give one of them", bothError, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, unknown);
        Assert.Contains("known: 2d-tan, vslnet, moment-detr, didemo, clip4clip", unknownError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vslnet_on_charades_reports_r_at_1_with_the_clipped_ground_truth()
    {
        var root = ResearchCliTests.Root;
        // qid 19: ground truth [12.7, 19.9] in an 18.58-s video; [13.9, 18.58] has IoU 0.796 with the truth clipped to
        // [12.7, 18.58] as the official code clips it, 0.65 with the truth as annotated.
        var path = await WriteAsync("q19.jsonl", """{"qid": 19, "pred_relevant_windows": [[13.9, 18.58, 1]]}""" + "\n");

        var (code, output, _) = await RunAsync("eval", "grounding", "-d", "charades-sta", "--data-root", root, "-p", path, "--protocol", "vslnet", "--json");
        var (tanCode, tanOutput, _) = await RunAsync("eval", "grounding", "-d", "charades-sta", "--data-root", root, "-p", path, "--json");
        var (ownCode, ownOutput, _) = await RunAsync("eval", "grounding", "-d", "charades-sta", "--data-root", root, "-p", path, "--json", "--convention", "strict");

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("vslnet", json.RootElement.GetProperty("protocol").GetString());
        var metrics = json.RootElement.GetProperty("metrics");
        Assert.Equal(100.0 / 3720, metrics.GetProperty("R@1,IoU=0.7").GetDouble(), 12);
        Assert.False(metrics.TryGetProperty("R@5,IoU=0.7", out _));
        Assert.Equal(ExitCodes.Ok, tanCode);
        using var tan = JsonDocument.Parse(tanOutput);
        Assert.Equal("2d-tan", tan.RootElement.GetProperty("protocol").GetString());
        Assert.Equal(100.0 / 3720, tan.RootElement.GetProperty("metrics").GetProperty("R@1,IoU=0.7").GetDouble(), 12);
        Assert.Equal(ExitCodes.Ok, ownCode);
        using var own = JsonDocument.Parse(ownOutput);
        Assert.Equal(0, own.RootElement.GetProperty("metrics").GetProperty("R@1,IoU=0.7").GetDouble());
    }

    [Fact]
    public async Task Retrieval_ranks_a_float64_matrix_at_float64_and_names_a_non_finite_value()
    {
        var captions = await WriteAsync("captions.csv", "key,vid_key,video_id,sentence\nret0,v0,v0,a\nret1,v1,v1,b\nret2,v2,v2,c\n");
        // the true similarity of each row is 1e-12 above the others: equal once narrowed to float32
        double[] close = [0.5 + 1e-12, 0.5, 0.5, 0.5, 0.5 + 1e-12, 0.5, 0.5, 0.5, 0.5 + 1e-12];
        var doubles = TestVideos.NewPath("sims.npy");
        await using (var file = File.Create(doubles))
            NpyFile.Write(file, new FeatureArray(close, [3, 3]));
        double[] infinite = [1, 0, 0, 0, double.PositiveInfinity, 0, 0, 0, 1];
        var bad = TestVideos.NewPath("inf.npy");
        await using (var file = File.Create(bad))
            NpyFile.Write(file, new FeatureArray(infinite, [3, 3]));

        var (code, output, _) = await RunAsync("eval", "retrieval", "-g", captions, "-p", doubles, "--json");
        var (badCode, _, error) = await RunAsync("eval", "retrieval", "-g", captions, "-p", bad);

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(100, json.RootElement.GetProperty("metrics").GetProperty("R1").GetDouble());
        Assert.Equal(3, json.RootElement.GetProperty("ranks").GetInt32());
        Assert.Equal(ExitCodes.InputError, badCode);
        Assert.Contains($"{bad}: the similarity at row 1, column 1", error, StringComparison.Ordinal);
    }
}
