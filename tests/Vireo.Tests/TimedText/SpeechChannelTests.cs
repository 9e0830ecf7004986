using Vireo.Tests.Support;
using Vireo.TimedText;
using Vireo.TimedText.Speech;

namespace Vireo.Tests.TimedText;

/// <summary>
/// The speech channel end to end on real audio with the tiny random-weight model: FFmpeg decoding, chunking,
/// whisper.cpp's loading and decoding, and the conversion to timed text. The text is noise; its form is checked.
/// </summary>
public class SpeechChannelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One pass per 30 s window keeps a random model from decoding each window six times.</summary>
    private static readonly SpeechOptions Fast = new() { TemperatureFallback = false };

    private static string Talk => SharedData.Require("data/videos/talk.mp4");

    [Fact]
    public async Task Talk_is_transcribed_into_well_formed_segments()
    {
        using var model = SpeechModel.Open(TestWhisperModels.Multilingual);
        var progress = new List<SpeechProgress>();

        var transcript = await SpeechChannel.TranscribeAsync(Talk, model, Fast, new SynchronousProgress<SpeechProgress>(progress.Add), Ct);

        Assert.Empty(transcript.Issues);
        Assert.InRange(transcript.AudioSeconds, 48.5, 49.5);
        Assert.NotNull(transcript.Language);
        AssertWellFormed(transcript, "whisper tiny-random");
        Assert.NotEmpty(progress);
        Assert.Equal(transcript.AudioSeconds, progress[^1].TranscribedSeconds, 3);
    }

    [Fact]
    public async Task Chunks_cut_at_quiet_moments_keep_the_video_clock()
    {
        using var model = SpeechModel.Open(TestWhisperModels.Multilingual);

        var transcript = await SpeechChannel.TranscribeAsync(Talk, model, Fast with { ChunkSeconds = 15, CutSearchSeconds = 5, Language = "en" }, cancellationToken: Ct);

        Assert.InRange(transcript.AudioSeconds, 48.5, 49.5);
        Assert.Equal("en", transcript.Language);
        Assert.All(transcript.Entries, e => Assert.Equal("en", e.Language));
        AssertWellFormed(transcript, "whisper tiny-random");
    }

    [Fact]
    public async Task An_english_only_model_transcribes_an_audio_only_file()
    {
        using var model = SpeechModel.Open(TestWhisperModels.English);

        var transcript = await SpeechChannel.TranscribeAsync(await TestVideos.AudioOnly(), model, Fast with { WordTimestamps = false }, cancellationToken: Ct);

        Assert.InRange(transcript.AudioSeconds, 2.9, 3.1);
        AssertWellFormed(transcript, "whisper tiny-random.en");
        Assert.All(transcript.Segments, s => Assert.Empty(s.Words));
    }

    [Fact]
    public async Task A_video_without_audio_gives_no_entries_and_says_why()
    {
        using var model = SpeechModel.Open(TestWhisperModels.Multilingual);

        var transcript = await SpeechChannel.TranscribeAsync(await TestVideos.Testsrc(), model, Fast, cancellationToken: Ct);

        Assert.Empty(transcript.Entries);
        var issue = Assert.Single(transcript.Issues);
        Assert.Contains("no audio stream", issue.Problem, StringComparison.Ordinal);
        Assert.Equal(0, transcript.AudioSeconds);
    }

    [Fact]
    public async Task Cancelling_stops_the_transcription()
    {
        using var model = SpeechModel.Open(TestWhisperModels.Multilingual);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var progress = new SynchronousProgress<SpeechProgress>(_ => cancel.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            SpeechChannel.TranscribeAsync(Talk, model, Fast with { ChunkSeconds = 10, CutSearchSeconds = 2 }, progress, cancel.Token));
    }

    internal static void AssertWellFormed(SpeechTranscript transcript, string source)
    {
        var previousStart = 0.0;
        foreach (var segment in transcript.Segments)
        {
            var entry = segment.Entry;
            Assert.Equal(TextChannel.Speech, entry.Channel);
            Assert.Equal(source, entry.Source);
            Assert.False(string.IsNullOrWhiteSpace(entry.Text));
            Assert.InRange(entry.Start, previousStart, transcript.AudioSeconds);
            Assert.InRange(entry.End, entry.Start, transcript.AudioSeconds);
            Assert.InRange(entry.Confidence, 0, 1);
            previousStart = entry.Start;
            var previousWord = entry.Start;
            foreach (var word in segment.Words)
            {
                Assert.InRange(word.Start, previousWord, entry.End);
                Assert.InRange(word.End, word.Start, entry.End);
                Assert.False(string.IsNullOrWhiteSpace(word.Text));
                Assert.InRange(word.Probability, 0, 1);
                previousWord = word.Start;
            }
        }
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
