using Vireo.Media;
using Vireo.Tests.Support;

namespace Vireo.Tests.Media;

public class MediaErrorTests
{
    [Fact]
    public async Task Missing_file_is_reported_with_its_name()
    {
        var path = TestVideos.NewPath("missing.mp4");
        var error = await Assert.ThrowsAsync<MediaFileNotFoundException>(() => Frames.CollectAsync(path, FrameSampling.AtRate(1)));

        Assert.Equal(path, error.MediaPath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_file_named_mp4_is_not_a_video()
    {
        var path = await TestVideos.TextFile();
        var error = await Assert.ThrowsAsync<NotAVideoException>(() => MediaProbe.ProbeVideoAsync(path, cancellationToken: Frames.Ct));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid data", error.ToolMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_file_is_not_a_video()
    {
        var path = TestVideos.NewPath("empty.mp4");
        await File.WriteAllBytesAsync(path, [], Frames.Ct);

        await Assert.ThrowsAsync<NotAVideoException>(() => MediaProbe.ProbeVideoAsync(path, cancellationToken: Frames.Ct));
    }

    [Fact]
    public async Task Audio_only_file_has_no_video_stream()
    {
        var path = await TestVideos.AudioOnly();

        var info = await MediaProbe.ProbeAsync(path, cancellationToken: Frames.Ct);
        Assert.Single(info.AudioStreams);
        var error = await Assert.ThrowsAsync<NoVideoStreamException>(() => Frames.CollectAsync(path, FrameSampling.AtRate(1)));
        Assert.Equal(path, error.MediaPath);
    }

    [Fact]
    public async Task Unknown_codec_is_unsupported()
    {
        var path = await TestVideos.UnknownCodec();

        var error = await Assert.ThrowsAsync<UnsupportedCodecException>(() => Frames.CollectAsync(path, FrameSampling.AtRate(1)));
        Assert.Equal("QQQQ", error.Codec);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Container_without_streams_has_zero_duration()
    {
        var path = await TestVideos.EmptyContainer();

        var error = await Assert.ThrowsAsync<ZeroDurationException>(() => Frames.CollectAsync(path, FrameSampling.AtRate(1)));
        Assert.Equal(path, error.MediaPath);
    }

    [Fact]
    public async Task Still_image_is_not_a_video()
    {
        var path = TestVideos.NewPath("still.png");
        await FFmpegRunner.RunAsync("-f", "lavfi", "-i", "color=c=red:s=32x32", "-frames:v", "1", path);

        var error = await Assert.ThrowsAsync<NotAVideoException>(() => MediaProbe.ProbeVideoAsync(path, cancellationToken: Frames.Ct));
        Assert.Contains("still image", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Huge_frames_are_refused_before_decoding()
    {
        var path = await TestVideos.Huge();

        var error = await Assert.ThrowsAsync<VideoTooLargeException>(() => Frames.CollectAsync(path, FrameSampling.AtRate(1)));
        Assert.Equal((8200, 16), (error.Width, error.Height));
        var frames = await Frames.CollectAsync(path, FrameSampling.AtRate(1), new() { MaxSide = 10000, Size = FrameSize.Exact(82, 2) });
        Assert.NotEmpty(frames);
    }

    [Fact]
    public async Task Mp4_cut_before_its_index_is_reported_as_damaged()
    {
        var path = await TestVideos.Truncated(await TestVideos.TestsrcIndexAtEnd(), 0.5);

        var error = await Assert.ThrowsAsync<CorruptMediaException>(() => MediaProbe.ProbeVideoAsync(path, cancellationToken: Frames.Ct));
        Assert.Contains("truncated or damaged", error.Message, StringComparison.Ordinal);
        Assert.Contains("moov atom not found", error.ToolMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_video_delivers_the_frames_before_the_damage_then_reports_it()
    {
        var path = await TestVideos.Truncated(await TestVideos.Testsrc(), 0.5);
        var delivered = new List<double>();

        var error = await Assert.ThrowsAsync<CorruptMediaException>(async () =>
        {
            await foreach (var frame in FrameSampler.SampleAsync(path, FrameSampling.AtRate(1), new() { Size = FrameSize.Exact(32, 24) }, Frames.Ct))
            {
                delivered.Add(frame.Timestamp);
                frame.Dispose();
            }
        });

        Assert.InRange(delivered.Count, 2, 9);
        for (var k = 0; k < delivered.Count; k++)
            Assert.InRange(delivered[k], k, k + 0.2);
        Assert.Equal(delivered.Count, error.FramesDelivered);
        Assert.Equal(delivered[^1], error.LastGoodTimestamp);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(error.ToolMessage));
    }

    [Fact]
    public async Task Garbage_in_the_middle_is_reported_after_the_frames()
    {
        var source = await TestVideos.Testsrc();
        var path = TestVideos.NewPath("garbage-middle.mp4");
        var bytes = await File.ReadAllBytesAsync(source, Frames.Ct);
        new Random(7).NextBytes(bytes.AsSpan(bytes.Length / 2, 20000));
        await File.WriteAllBytesAsync(path, bytes, Frames.Ct);
        var count = 0;

        var error = await Assert.ThrowsAsync<CorruptMediaException>(async () =>
        {
            await foreach (var frame in FrameSampler.SampleAsync(path, FrameSampling.AtRate(1), new() { Size = FrameSize.Exact(32, 24) }, Frames.Ct))
            {
                count++;
                frame.Dispose();
            }
        });

        Assert.True(count >= 4, $"only {count} frames before the damage");
        Assert.Equal(count, error.FramesDelivered);
    }
}
