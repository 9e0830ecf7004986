using System.Text.Json;
using Vireo.Cli.Terminal;
using Vireo.Research.Features;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cli;

/// <summary><c>vireo features extract</c>: Lighthouse's CLIP features in moment_detr's .npz layout.</summary>
public class FeaturesCliTests
{
    [Fact]
    public async Task Video_and_query_features_are_written_in_the_moment_detr_layout()
    {
        var model = (await TestModels.TinyHuggingFaceAsync()).Root;
        var video = SharedData.Require("data/videos/charades.mp4");
        var root = TestVideos.NewPath("features-root");
        var clipFolder = Path.Combine(root, "clip");

        var (code, output, error) = await CliRunner.RunAsync(
            "features", "extract", video, "--out", clipFolder, "--model", model, "--query", "a person opens a door", "--query", "dog", "--first-qid", "7", "--json");

        Assert.True(code == ExitCodes.Ok, error);
        var features = await NpzFile.ReadAllAsync(Path.Combine(clipFolder, "charades.npz"), Frames.Ct);
        Assert.Equal(["features"], features.Keys);
        Assert.Equal([15, 32], features["features"].Shape); // the official loader's 15 clips (LighthouseFrameTests)
        Assert.Equal("<f4", features["features"].SourceDType);

        var first = await NpzFile.ReadAllAsync(Path.Combine(root, "clip_text", "qid7.npz"), Frames.Ct);
        Assert.Equal(["last_hidden_state", "pooler_output"], first.Keys.Order());
        Assert.Equal([7, 32], first["last_hidden_state"].Shape); // start + 5 words + end
        Assert.Equal([32], first["pooler_output"].Shape);
        var second = await NpzFile.ReadAsync(Path.Combine(root, "clip_text", "qid8.npz"), "last_hidden_state", Frames.Ct);
        Assert.Equal([3, 32], second.Shape);

        using var json = JsonDocument.Parse(output);
        var written = json.RootElement.GetProperty("videos")[0];
        Assert.Equal("charades", written.GetProperty("id").GetString());
        Assert.Equal(15, written.GetProperty("clips").GetInt32());
        Assert.Equal(0.934267, written.GetProperty("frame_times")[0].GetDouble(), 4);
        Assert.Equal(8, json.RootElement.GetProperty("queries")[1].GetProperty("qid").GetInt32());
    }

    [Fact]
    public async Task A_damaged_video_is_named_and_the_others_are_still_written()
    {
        var model = (await TestModels.TinyHuggingFaceAsync()).Root;
        var good = SharedData.Require("data/videos/demo.mp4");
        var bad = TestVideos.NewPath("damaged.mp4");
        await File.WriteAllBytesAsync(bad, new byte[2048], Frames.Ct);
        var folder = TestVideos.NewPath("features-partial");

        var (code, _, error) = await CliRunner.RunAsync("features", "extract", bad, good, "--out", folder, "--model", model);

        Assert.Equal(ExitCodes.Partial, code);
        Assert.Contains(bad, error, StringComparison.Ordinal);
        Assert.Equal(["demo.npz"], Directory.GetFiles(folder).Select(Path.GetFileName));
        var written = await NpzFile.ReadAsync(Path.Combine(folder, "demo.npz"), cancellationToken: Frames.Ct);
        Assert.Equal([7, 32], written.Shape);
    }

    [Fact]
    public async Task Queries_with_an_immich_model_fail_naming_the_folder_before_any_video_is_read()
    {
        var model = (await TestModels.TinyImmichAsync()).Root;
        var folder = TestVideos.NewPath("features-immich");

        var (code, _, error) = await CliRunner.RunAsync(
            "features", "extract", SharedData.Require("data/videos/demo.mp4"), "--out", folder, "--model", model, "--query", "a dog");

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains(model, error, StringComparison.Ordinal);
        Assert.Contains("text_model.onnx", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Two_videos_with_one_id_are_refused()
    {
        var model = (await TestModels.TinyHuggingFaceAsync()).Root;
        var (code, _, error) = await CliRunner.RunAsync("features", "extract", "a/clip1.mp4", "b/clip1.mkv", "--out", TestVideos.NewPath("dup"), "--model", model);
        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("'clip1'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_the_layout()
    {
        var (code, output, _) = await CliRunner.RunAsync("features", "extract", "--help");
        Assert.Equal(ExitCodes.Ok, code);
        foreach (var part in new[] { "<video id>.npz", "'features'", "qid<n>.npz", "last_hidden_state", "pooler_output", "clip_text", "immich" })
            Assert.Contains(part, output, StringComparison.Ordinal);
    }
}
