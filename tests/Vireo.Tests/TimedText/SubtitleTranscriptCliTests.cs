using System.Text.Json;
using Vireo.Cli.Terminal;
using Vireo.TimedText.Subtitles;
using Vireo.Tests.Support;

namespace Vireo.Tests.TimedText;

public class SubtitleTranscriptCliTests
{
    [Fact]
    public async Task Srt_output_holds_every_track_merged_by_time_and_problems_go_to_standard_error()
    {
        var video = await SubtitleVideos.MultiTrack();

        var (code, output, error) = await CliRunner.RunAsync("transcript", video);

        Assert.Equal(ExitCodes.Ok, code);
        var cues = SubRipParser.Parse(output, "stdout");
        Assert.Empty(cues.Issues);
        var planted = PlantedSubtitles.English.Concat(PlantedSubtitles.French).Concat(PlantedSubtitles.German).OrderBy(c => c.Start).ToList();
        SubtitleSubRipTests.AssertCues(planted, cues.Cues);
        Assert.Contains("hdmv_pgs_subtitle", error, StringComparison.Ordinal);
        Assert.Contains("needs the OCR channel", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vtt_output_reads_back_as_the_same_cues()
    {
        var (code, output, _) = await CliRunner.RunAsync("transcript", await SubtitleVideos.MovText(), "--format", "vtt");

        Assert.Equal(ExitCodes.Ok, code);
        var planted = PlantedSubtitles.English.Concat(PlantedSubtitles.French).OrderBy(c => c.Start).ToList();
        SubtitleSubRipTests.AssertCues(planted, WebVttParser.Parse(output, "stdout").Cues);
    }

    [Fact]
    public async Task Json_output_has_entries_issues_and_each_sources_encoding()
    {
        using var folder = new TempFolder();
        var video = folder.File("lecture.mp4");
        File.Copy(await SubtitleVideos.Plain(), video);
        await File.WriteAllBytesAsync(folder.File("lecture.pt-BR.srt"),
            SubtitleEncodingTests.Encode(PlantedSubtitles.Srt(PlantedSubtitles.French) + "garbage line\n", "utf-16le-bom"), TestContext.Current.CancellationToken);

        var (code, output, _) = await CliRunner.RunAsync("transcript", video, "--format", "json");

        Assert.Equal(ExitCodes.Ok, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        var entries = root.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(PlantedSubtitles.French.Select(c => c.Text), entries.Select(e => e.GetProperty("text").GetString()));
        Assert.All(entries, e => Assert.Equal("pt-BR", e.GetProperty("language").GetString()));
        Assert.All(entries, e => Assert.Equal("subtitles", e.GetProperty("channel").GetString()));
        var source = Assert.Single(root.GetProperty("sources").EnumerateArray().ToList());
        Assert.Equal("utf-16le (BOM)", source.GetProperty("encoding").GetString());
        Assert.Equal("sidecar", source.GetProperty("kind").GetString());
        var issue = Assert.Single(root.GetProperty("issues").EnumerateArray().ToList());
        Assert.StartsWith("lecture.pt-BR.srt:", issue.GetProperty("where").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pixels", "unknown channel 'pixels'")]
    [InlineData("", "name at least one channel")]
    public async Task Channels_that_cannot_be_read_are_usage_errors(string channels, string message)
    {
        var (code, _, error) = await CliRunner.RunAsync("transcript", await SubtitleVideos.Plain(), "--channels", channels);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_video_is_an_input_error_naming_it()
    {
        var (code, _, error) = await CliRunner.RunAsync("transcript", "/nonexistent/film.mkv", "--json");

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Contains("/nonexistent/film.mkv", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_video_without_subtitles_says_so()
    {
        var (code, output, error) = await CliRunner.RunAsync("transcript", await SubtitleVideos.Plain());

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(output);
        Assert.Contains("no subtitles found", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ocr_channel_reads_the_slides_of_a_video_into_the_same_transcript()
    {
        Tesseract.Require();
        var video = SharedData.Require("data/videos/talk.mp4");

        var (code, output, error) = await CliRunner.RunAsync("transcript", video, "--channels", "subtitles,ocr", "--json");

        Assert.True(code == ExitCodes.Ok, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var entries = json.RootElement.GetProperty("entries").EnumerateArray().ToArray();
        var ocr = entries.Where(e => e.GetProperty("channel").GetString() == "ocr").ToArray();
        Assert.Equal(6, ocr.Length);                                             // one span per slide
        Assert.Contains(entries, e => e.GetProperty("channel").GetString() == "subtitles");
        var starts = entries.Select(e => e.GetProperty("start").GetDouble()).ToArray();
        Assert.Equal(starts.Order(), starts);                                    // merged by time
    }

    [Fact]
    public async Task The_speech_channel_transcribes_with_the_given_whisper_model_and_says_when_there_is_none()
    {
        var video = SharedData.Require("data/videos/talk.mp4");
        using var store = new TempFolder();

        var (code, output, error) = await CliRunner.RunAsync("transcript", video, "--channels", "speech", "--speech-model", TestWhisperModels.Multilingual, "--json");

        Assert.True(code == ExitCodes.Ok, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var entries = json.RootElement.GetProperty("entries").EnumerateArray().ToArray();
        Assert.All(entries, e => Assert.Equal("speech", e.GetProperty("channel").GetString()));
        Assert.All(entries, e => Assert.InRange(e.GetProperty("end").GetDouble(), e.GetProperty("start").GetDouble(), 49.1));
        Assert.StartsWith("whisper ", json.RootElement.GetProperty("sources")[0].GetProperty("name").GetString(), StringComparison.Ordinal);

        (code, _, error) = await CliRunner.RunAsync("transcript", video, "--channels", "speech", "--models-dir", store.Path);
        Assert.Equal(ExitCodes.Environment, code);
        Assert.Contains("vireo models pull whisper-base", error, StringComparison.Ordinal);
    }
}
