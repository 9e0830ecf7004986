using Vireo.Errors;
using Vireo.Media;
using Vireo.Tests.Support;
using Vireo.TimedText;
using Vireo.TimedText.Ocr;

namespace Vireo.Tests.TimedText;

/// <summary>The on-screen text channel end to end: real Tesseract on generated captions and on talk.mp4's slides.</summary>
[Collection(Tesseract.Collection)]
public class OcrChannelTests
{
    [Fact]
    public async Task Generated_captions_are_read_into_exact_spans_and_unchanged_frames_are_not_read()
    {
        var tool = Tesseract.Require();
        var video = await CaptionVideos.Generated();

        var reading = await OcrChannel.ReadAsync(video, new OcrOptions { Tesseract = tool }, cancellationToken: Frames.Ct);

        Assert.Equal(24, reading.FramesSampled);
        // Read: the four frames where a caption appears or changes. Not read: the flat frames (0 s, 19 s: no text
        // possible), and every frame whose picture did not change, among them the 7 after 11 s of the static caption.
        Assert.Equal(4, reading.FramesRead);
        Assert.Equal(CaptionVideos.Captions.Length, reading.Entries.Count);
        foreach (var (entry, planted) in reading.Entries.Zip(CaptionVideos.Captions))
        {
            Assert.Equal(OcrSpanBuilder.Normalise(planted.Text), OcrSpanBuilder.Normalise(entry.Text));
            Assert.Equal(planted.Start, entry.Start, 3);
            Assert.Equal(planted.End, entry.End, 3);
            Assert.Equal((TextChannel.Ocr, "tesseract"), (entry.Channel, entry.Source));
            Assert.InRange(entry.Confidence, 0.6, 1);
        }
    }

    /// <summary>talk.mp4's six slides (white text on green), their changes found with ffmpeg's scene score: 8, 17, 26, 34 and 43 s after the first frame (0.023 s).</summary>
    public static TheoryData<int, double, double, string[]> TalkSlides => new()
    {
        { 0, 0, 8.023, ["Baking bread at home", "A short talk in five parts", "Ingredients, kneading, rising, baking"] },
        { 1, 8.023, 17.023, ["Ingredients", "500 g flour", "7 g dry yeast", "10 g salt, 320 ml warm water"] },
        { 2, 17.023, 26.023, ["Kneading", "Ten minutes by hand", "The dough should feel smooth and elastic"] },
        { 3, 26.023, 34.023, ["Rising", "Cover the bowl with a damp towel", "Wait until it doubles in size"] },
        { 4, 34.023, 43.023, ["Baking", "Oven at 230 degrees", "35 minutes, until golden brown"] },
        { 5, 43.023, 49, ["Questions?", "Thank you for watching"] },
    };

    [Theory]
    [MemberData(nameof(TalkSlides))]
    public async Task Talk_slides_are_found_with_their_lines_and_times(int slide, double start, double end, string[] lines)
    {
        var reading = await TalkReading();

        Assert.Equal(6, reading.Entries.Count);
        var entry = reading.Entries[slide];
        Assert.Equal(lines.Select(OcrSpanBuilder.Normalise), entry.Text.Split('\n').Select(OcrSpanBuilder.Normalise));
        var iou = (Math.Min(end, entry.End) - Math.Max(start, entry.Start)) / (Math.Max(end, entry.End) - Math.Min(start, entry.Start));
        Assert.True(iou >= 0.7, $"slide {slide} read over [{entry.Start:0.###}, {entry.End:0.###}], truth [{start}, {end}]: IoU {iou:0.###}");
    }

    [Fact]
    public async Task Talk_is_read_only_where_the_slide_changes()
    {
        var reading = await TalkReading();

        Assert.Equal(49, reading.FramesSampled);
        Assert.Equal(6, reading.FramesRead);
    }

    [Fact]
    public async Task A_missing_tesseract_is_a_dependency_error_that_says_how_to_install_it()
    {
        var video = await CaptionVideos.Generated();
        var previous = Environment.GetEnvironmentVariable("VIREO_TESSERACT");
        TesseractTool located;
        try
        {
            Environment.SetEnvironmentVariable("VIREO_TESSERACT", "/nonexistent/vireo-test/tesseract");
            located = TesseractTool.Locate();
        }
        finally
        {
            Environment.SetEnvironmentVariable("VIREO_TESSERACT", previous);
        }

        var error = await Assert.ThrowsAsync<TesseractNotFoundException>(() => OcrChannel.ReadAsync(video, new OcrOptions { Tesseract = located }, cancellationToken: Frames.Ct));

        Assert.Equal(ErrorKind.Dependency, error.Kind);
        Assert.Equal("/nonexistent/vireo-test/tesseract", error.Executable);
        Assert.Contains("apt-get install tesseract-ocr", error.Message, StringComparison.Ordinal);
        Assert.Contains("VIREO_TESSERACT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tesseract_failing_is_a_dependency_error_with_its_own_words()
    {
        var tool = Tesseract.Require();
        var video = await CaptionVideos.Generated();

        var error = await Assert.ThrowsAsync<TesseractFailedException>(() =>
            OcrChannel.ReadAsync(video, new OcrOptions { Tesseract = tool, TesseractLanguage = "vireo-no-such-language" }, cancellationToken: Frames.Ct));

        Assert.Equal(ErrorKind.Dependency, error.Kind);
        Assert.NotEqual(0, error.ExitCode);
        Assert.Contains("vireo-no-such-language", error.ToolMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_stops_the_run()
    {
        var tool = Tesseract.Require();
        var video = await CaptionVideos.Generated();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Frames.Ct);
        var progress = new SynchronousProgress<OcrProgress>(p =>
        {
            if (p.FramesRead == 1)
                cancel.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => OcrChannel.ReadAsync(video, new OcrOptions { Tesseract = tool }, progress, cancel.Token));
    }

    private static readonly Lazy<Task<OcrReading>> Talk = new(() =>
        OcrChannel.ReadAsync(SharedData.Directory + "/data/videos/talk.mp4", new OcrOptions { Tesseract = TesseractTool.Locate() }));

    private static Task<OcrReading> TalkReading()
    {
        Tesseract.Require();
        SharedData.Require("data/videos/talk.mp4");
        return Talk.Value;
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
