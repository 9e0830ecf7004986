using System.Text.Json;
using Vireo.Cli;
using Vireo.Tests.Support;
using Vireo.Cli.Terminal;

namespace Vireo.Tests.Cli;

public class CliTests
{
    private static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => CliRunner.RunAsync(args);

    [Fact]
    public async Task Help_lists_commands_and_exit_codes()
    {
        var (code, output, _) = await RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("probe", output, StringComparison.Ordinal);
        Assert.Contains("frames", output, StringComparison.Ordinal);
        Assert.Contains("Exit codes", output, StringComparison.Ordinal);
        Assert.Contains("vireo", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_json_is_machine_readable()
    {
        var video = await TestVideos.Testsrc();
        var (code, output, _) = await RunAsync("probe", video, "--json");

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(10.0, json.RootElement.GetProperty("duration").GetDouble(), 3);
        var stream = json.RootElement.GetProperty("video_streams")[0];
        Assert.Equal("h264", stream.GetProperty("codec").GetString());
        Assert.Equal(320, stream.GetProperty("display_width").GetInt32());
    }

    [Fact]
    public async Task Probe_text_names_the_streams()
    {
        var (code, output, _) = await RunAsync("probe", await TestVideos.WithAudioAndSubtitles());

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("video #0", output, StringComparison.Ordinal);
        Assert.Contains("audio #1   aac 48000 Hz", output, StringComparison.Ordinal);
        Assert.Contains("subtitle #2 subrip", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_exits_with_2_and_names_the_file()
    {
        var path = await TestVideos.TextFile();
        var (code, output, error) = await RunAsync("probe", path);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Empty(output);
        Assert.Contains(path, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_with_json_reports_a_json_error()
    {
        var (code, _, error) = await RunAsync("probe", TestVideos.NewPath("missing.mp4"), "--json");

        Assert.Equal(ExitCodes.InputError, code);
        using var json = JsonDocument.Parse(error);
        Assert.Equal("input_error", json.RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("frames")]
    [InlineData("probe", "a.mp4", "--bogus")]
    [InlineData("nonsense")]
    public async Task Usage_errors_exit_with_1(params string[] args)
    {
        var (code, _, _) = await RunAsync(args);

        Assert.Equal(ExitCodes.Usage, code);
    }

    [Fact]
    public async Task Fps_and_at_together_are_a_usage_error()
    {
        var (code, _, error) = await RunAsync("frames", "x.mp4", "--fps", "1", "--at", "1,2", "--out", TestVideos.NewPath("o"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("either --fps or --at", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frames_writes_png_files_named_by_timestamp()
    {
        var video = await TestVideos.ColorSegments();
        var folder = TestVideos.NewPath("frames-out");
        var (code, output, _) = await RunAsync("frames", video, "--fps", "0.5", "--size", "32", "--out", folder, "--json");

        Assert.Equal(ExitCodes.Ok, code);
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["frame-000000-t0000.000.png", "frame-000001-t0002.000.png", "frame-000002-t0004.000.png", "frame-000003-t0006.000.png", "frame-000004-t0008.000.png"], files);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(5, json.RootElement.GetProperty("frames").GetArrayLength());
        Assert.Equal((42, 32), (json.RootElement.GetProperty("width").GetInt32(), json.RootElement.GetProperty("height").GetInt32()));

        // FFmpeg reads our PNG back, with the colour of its time (green at 4 s).
        using var decoded = await Vireo.Imaging.ImageDecoder.ReadRgb24Async(Path.Combine(folder, files[2]!), cancellationToken: Frames.Ct);
        Assert.Equal((42, 32), (decoded.Width, decoded.Height));
        FrameAssert.Near(FrameAssert.MeanColor(decoded), (0, 128, 0));
    }

    [Fact]
    public async Task Frames_at_given_times()
    {
        var folder = TestVideos.NewPath("frames-at");
        var (code, _, _) = await RunAsync("frames", await TestVideos.Testsrc(), "--at", "1.5,7.77", "--size", "16x12", "--out", folder);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(["frame-000000-t0001.500.png", "frame-000001-t0007.800.png"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Frames_refuses_an_output_path_that_is_a_file()
    {
        var file = TestVideos.NewPath("a-file");
        await File.WriteAllTextAsync(file, "x", Frames.Ct);
        var (code, _, error) = await RunAsync("frames", await TestVideos.Testsrc(), "--out", file);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("--out must be a folder", error, StringComparison.Ordinal);
    }
}
