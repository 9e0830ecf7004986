using System.Text.Json;
using Vireo.Tests.Support;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>
/// The trained-grounder commands end to end on the official fixtures: <c>vireo models import CHECKPOINT</c>, then
/// <c>vireo eval trained</c> on the fixtures' feature folders gives the official evaluation's prediction file.
/// </summary>
public class TrainedGrounderCliTests
{
    public static TheoryData<string> Architectures => new(TrainedFixtures.Architectures);

    [Theory]
    [MemberData(nameof(Architectures))]
    public async Task An_imported_checkpoint_reproduces_the_official_evaluation_file(string architecture)
    {
        using var store = new TempFolder();
        var (code, output, error) = await CliRunner.RunAsync("models", "import", TrainedFixtures.Checkpoint(architecture), "--models-dir", store.Path, "--json");
        Assert.True(code == 0, error);
        using (var manifest = JsonDocument.Parse(output))
        {
            Assert.Equal($"{architecture}-qvhighlight-clip", manifest.RootElement.GetProperty("name").GetString());
            Assert.Equal("qvhighlight", manifest.RootElement.GetProperty("trained_on").GetString());
            Assert.Equal(64, manifest.RootElement.GetProperty("graph_sha256").GetString()!.Length);
            Assert.Equal(75, manifest.RootElement.GetProperty("config").GetProperty("max_video_clips").GetInt32());
        }
        var predictions = Path.Combine(store.Path, "preds.jsonl");

        (code, output, error) = await CliRunner.RunAsync("eval", "trained", "--grounder", $"{architecture}-qvhighlight-clip", "--models-dir", store.Path,
            "--dataset", "qvhighlights", "--ground-truth", TrainedFixtures.Annotations,
            "--video-features", TrainedFixtures.VideoFeatures, "--text-features", TrainedFixtures.TextFeatures, "-p", predictions, "--json");

        Assert.True(code == 0, error);
        Assert.Contains("MR-full-R1@0.5", output, StringComparison.Ordinal);
        var lines = File.ReadAllLines(predictions);
        Assert.Equal(TrainedFixtures.QueryIds.Length, lines.Length);
        foreach (var line in lines)
        {
            using var ours = JsonDocument.Parse(line);
            var qid = ours.RootElement.GetProperty("qid").ToString();
            var official = TrainedFixtures.OfficialLine(architecture, qid);
            var expected = Windows(official);
            var actual = Windows(ours.RootElement);
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i][..2], actual[i][..2]);                 // identical windows, in the same order
                Assert.True(Math.Abs(expected[i][2] - actual[i][2]) <= 1e-4, $"qid {qid} window {i}: score {actual[i][2]}, official {expected[i][2]}");
            }
            // float16 values: a raw value within float noise (≈1e-6 here) of a float16 rounding midpoint may land one float16
            // step away (at 0.5 a step is 4.9e-4); the raw saliency itself is checked to 1e-4 by the network parity tests.
            var officialSaliency = Saliency(official);
            var saliency = Saliency(ours.RootElement);
            Assert.Equal(officialSaliency.Length, saliency.Length);
            var flips = officialSaliency.Zip(saliency).Count(p => p.First != p.Second);
            Assert.All(officialSaliency.Zip(saliency), p => Assert.True(Math.Abs(p.First - p.Second) <= Float16Step(p.First), $"qid {qid}: saliency {p.Second}, official {p.First}"));
            Assert.True(flips <= 1, $"qid {qid}: {flips} saliency values differ by a float16 step");
        }
    }

    [Theory]
    [InlineData("v_feat_types", "clip_slowfast", "'clip_slowfast' video features; Vireo computes CLIP ViT-B/32 clip features only")]
    [InlineData("t_feat_type", "glove", "'glove' text features")]
    [InlineData("model_name", "qd_detr", "its weight '[^']+' is missing from the state dict")]
    [InlineData("model_name", "eatr", "'eatr' is not supported \\(supported: moment_detr, qd_detr, cg_detr\\)")]
    public async Task Checkpoints_Vireo_cannot_run_are_refused_naming_the_file_and_the_cause_and_write_nothing(string option, string value, string cause)
    {
        using var folder = new TempFolder();
        var altered = Path.Combine(folder.Path, $"{option}-{value}.ckpt");
        CheckpointSurgery.ReplaceOptionString(TrainedFixtures.Checkpoint("moment_detr"), altered, option, value);

        var (code, _, error) = await CliRunner.RunAsync("models", "import", altered, "--models-dir", folder.Path);

        Assert.Equal(2, code);
        Assert.Contains(altered, error, StringComparison.Ordinal);
        Assert.Matches(cause, error);
        Assert.Empty(Directory.Exists(Path.Combine(folder.Path, "grounders")) ? Directory.GetFileSystemEntries(Path.Combine(folder.Path, "grounders")) : []);
    }

    [Fact]
    public async Task A_truncated_checkpoint_is_named_with_the_cause()
    {
        using var folder = new TempFolder();
        var truncated = Path.Combine(folder.Path, "truncated.ckpt");
        var bytes = await File.ReadAllBytesAsync(TrainedFixtures.Checkpoint("moment_detr"), TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(truncated, bytes.AsMemory(0, bytes.Length / 2), TestContext.Current.CancellationToken);

        var (code, _, error) = await CliRunner.RunAsync("models", "import", truncated, "--models-dir", folder.Path);

        Assert.Equal(2, code);
        Assert.Contains(truncated, error, StringComparison.Ordinal);
        Assert.Contains("truncated", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_altered_graph_is_refused_when_the_grounder_is_opened()
    {
        using var store = new TempFolder();
        Assert.Equal(0, (await CliRunner.RunAsync("models", "import", TrainedFixtures.Checkpoint("moment_detr"), "--models-dir", store.Path, "--name", "m")).Code);
        var graph = Path.Combine(store.Path, "grounders", "m", "model.onnx");
        await using (var file = File.OpenWrite(graph))
        {
            file.Seek(-100, SeekOrigin.End);
            file.WriteByte(0x42);
        }

        var (code, _, error) = await CliRunner.RunAsync("eval", "trained", "--grounder", "m", "--models-dir", store.Path,
            "--dataset", "qvhighlights", "--ground-truth", TrainedFixtures.Annotations,
            "--video-features", TrainedFixtures.VideoFeatures, "--text-features", TrainedFixtures.TextFeatures);

        Assert.Equal(2, code);
        Assert.Contains(graph, error, StringComparison.Ordinal);
        Assert.Contains("does not match its manifest", error, StringComparison.Ordinal);
    }

    private static double Float16Step(double value) => (double)Half.BitIncrement((Half)Math.Abs(value)) - (double)(Half)Math.Abs(value);

    private static double[][] Windows(JsonElement line) =>
        [.. line.GetProperty("pred_relevant_windows").EnumerateArray().Select(w => w.EnumerateArray().Select(v => v.GetDouble()).ToArray())];

    private static double[] Saliency(JsonElement line) => [.. line.GetProperty("pred_saliency_scores").EnumerateArray().Select(v => v.GetDouble())];
}
