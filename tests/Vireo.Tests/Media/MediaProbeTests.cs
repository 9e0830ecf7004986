using Vireo.Media;
using Vireo.Tests.Support;

namespace Vireo.Tests.Media;

public class MediaProbeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Probe_reads_duration_container_and_video_stream()
    {
        var info = await MediaProbe.ProbeVideoAsync(await TestVideos.Testsrc(), cancellationToken: Ct);

        Assert.Equal(10.0, info.Duration, 3);
        Assert.Contains("mp4", info.Container, StringComparison.Ordinal);
        var video = Assert.Single(info.VideoStreams);
        Assert.Equal("h264", video.Codec);
        Assert.Equal((320, 240), (video.Width, video.Height));
        Assert.Equal(30.0, video.FrameRate, 3);
        Assert.Equal(0, video.Rotation);
        Assert.Equal(1.0, video.SampleAspectRatio);
        Assert.Equal(300, video.FrameCount);
        Assert.False(video.IsVariableFrameRate);
        Assert.Empty(info.AudioStreams);
        Assert.Empty(info.SubtitleStreams);
        Assert.True(info.SizeBytes > 0);
    }

    [Fact]
    public async Task Probe_lists_audio_and_subtitle_streams()
    {
        var info = await MediaProbe.ProbeVideoAsync(await TestVideos.WithAudioAndSubtitles(), cancellationToken: Ct);

        Assert.Contains("matroska", info.Container, StringComparison.Ordinal);
        Assert.Equal(4.0, info.Duration, 1);
        var audio = Assert.Single(info.AudioStreams);
        Assert.Equal("aac", audio.Codec);
        Assert.Equal(48000, audio.SampleRate);
        Assert.Equal(1, audio.Channels);
        Assert.Equal("eng", audio.Language);
        var subtitle = Assert.Single(info.SubtitleStreams);
        Assert.Equal("subrip", subtitle.Codec);
        Assert.Equal("fra", subtitle.Language);
    }

    [Fact]
    public async Task Probe_reports_rotation_and_display_size()
    {
        var info = await MediaProbe.ProbeVideoAsync(await TestVideos.QuadrantsRotated90(), cancellationToken: Ct);

        var video = info.PrimaryVideo!;
        Assert.Equal(90, video.Rotation);
        Assert.Equal((320, 240), (video.Width, video.Height));
        Assert.Equal((240, 320), (video.DisplayWidth, video.DisplayHeight));
    }

    [Fact]
    public async Task Probe_flags_variable_frame_rate()
    {
        var info = await MediaProbe.ProbeVideoAsync(await TestVideos.VariableFrameRate(), cancellationToken: Ct);

        Assert.True(info.PrimaryVideo!.IsVariableFrameRate, $"avg {info.PrimaryVideo.FrameRate} vs r {info.PrimaryVideo.NominalFrameRate}");
    }

    [Fact]
    public async Task Probe_reads_ten_bit_pixel_format()
    {
        var info = await MediaProbe.ProbeVideoAsync(await TestVideos.TenBit(), cancellationToken: Ct);

        Assert.Equal("yuv420p10le", info.PrimaryVideo!.PixelFormat);
    }

    [Fact]
    public async Task Probe_accepts_awkward_file_names()
    {
        var source = await TestVideos.ColorSegments();
        var folder = TestVideos.NewPath("odd names");
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { "-starts with dash.mp4", "colon:in name.mp4", "ünïcödé ✓.mp4" })
        {
            var path = Path.Combine(folder, name);
            File.Copy(source, path);
            var info = await MediaProbe.ProbeVideoAsync(path, cancellationToken: Ct);
            Assert.Equal(9.0, info.Duration, 1);
        }
    }
}
