using Vireo.Media;
using Vireo.Tests.Support;
using Vireo.TimedText.Speech;

namespace Vireo.Tests.TimedText;

/// <summary>FFmpeg's 16 kHz mono audio, and the cuts that bound how much of it is held at once.</summary>
public class SpeechAudioTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_cut_falls_in_the_quietest_window_near_the_end()
    {
        var samples = Enumerable.Range(0, 16_000).Select(i => 0.5f * MathF.Sin(i * 0.1f)).ToArray();
        samples.AsSpan(12_000, 800).Clear();

        var cut = QuietCut.Find(samples, 8_000, 400);

        Assert.InRange(cut, 12_000, 12_800);
    }

    [Fact]
    public void Too_little_to_search_keeps_everything() =>
        Assert.Equal(100, QuietCut.Find(new float[100], 90, 400));

    [Fact]
    public async Task Chunks_cover_the_audio_exactly_once_and_cut_in_the_silence()
    {
        // 6 s of tone, 1 s of silence, 6 s of tone: 13 s at 16 kHz.
        var path = TestVideos.NewPath("tone-gap-tone.m4a");
        await FFmpegRunner.RunAsync("-f", "lavfi", "-i", "sine=frequency=300:duration=13",
            "-af", "volume='if(between(t,6,7),0,1)':eval=frame", "-c:a", "aac", path);
        var media = await MediaProbe.ProbeAsync(path, cancellationToken: Ct);
        var audio = new SpeechAudio(media, media.AudioStreams[0], new SpeechOptions { ChunkSeconds = 8, CutSearchSeconds = 3 });

        var chunks = new List<(double Start, double Seconds)>();
        await foreach (var chunk in audio.ReadAsync(Ct))
            chunks.Add((chunk.StartSeconds, chunk.Seconds));

        Assert.Equal(2, chunks.Count);
        Assert.Equal(0, chunks[0].Start);
        Assert.InRange(chunks[0].Seconds, 6.0, 7.0);
        Assert.Equal(chunks[0].Seconds, chunks[1].Start, 6);
        Assert.InRange(audio.DeliveredSeconds, 12.95, 13.05);
        Assert.Equal(audio.DeliveredSeconds, chunks[1].Start + chunks[1].Seconds, 6);
        Assert.Null(audio.Damage);
    }

    [Fact]
    public async Task Audio_that_starts_late_is_placed_on_the_video_clock()
    {
        var path = TestVideos.NewPath("late-audio.mp4");
        await FFmpegRunner.RunAsync("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=4",
            "-itsoffset", "1.5", "-f", "lavfi", "-i", "sine=frequency=300:duration=2",
            "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", path);
        Assert.InRange((await MediaProbe.ProbeAsync(path, cancellationToken: Ct)).AudioStreams.Count, 1, 1);
        var media = await MediaProbe.ProbeAsync(path, cancellationToken: Ct);
        var audio = new SpeechAudio(media, media.AudioStreams[0], new SpeechOptions());

        float[]? samples = null;
        await foreach (var chunk in audio.ReadAsync(Ct))
            samples = chunk.Samples.ToArray();

        var firstSound = Array.FindIndex(samples!, s => Math.Abs(s) > 0.01f) / (double)SpeechAudio.SampleRate;
        Assert.InRange(firstSound, 1.4, 1.6);
    }
}
