using Vireo.Media;
using Vireo.Temporal;

namespace Vireo.Tests.Media;

public class FrameSizeTests
{
    [Theory]
    [InlineData("224", 1280, 720, 398, 224)]
    [InlineData("224", 720, 1280, 224, 398)]
    [InlineData("224", 480, 270, 398, 224)]
    [InlineData("224", 97, 61, 356, 224)]
    [InlineData("x100", 1280, 720, 100, 56)]
    [InlineData("x100", 720, 1280, 56, 100)]
    [InlineData("64x48", 1920, 1080, 64, 48)]
    [InlineData("original", 333, 127, 333, 127)]
    public void Resolve_follows_the_clip_convention(string spec, int width, int height, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), FrameSize.Parse(spec).Resolve(width, height));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("12x")]
    [InlineData("axb")]
    public void Parse_rejects_nonsense(string spec)
    {
        Assert.Throws<FormatException>(() => FrameSize.Parse(spec));
    }

    [Fact]
    public void Round_trips_through_text()
    {
        foreach (var size in new[] { FrameSize.Original, FrameSize.ShorterSide(224), FrameSize.LongerSide(320), FrameSize.Exact(64, 48) })
            Assert.Equal(size, FrameSize.Parse(size.ToString()));
    }
}

public class ClipGridTests
{
    [Theory]
    [InlineData(30.7, 2.0, 16)]
    [InlineData(30.0, 2.0, 15)]
    [InlineData(30.000001, 2.0, 15)]
    [InlineData(150.0, 2.0, 75)]
    [InlineData(0.5, 2.0, 1)]
    [InlineData(0.0, 2.0, 0)]
    [InlineData(10.0, 3.0, 4)]
    public void Counts_clips_keeping_the_last_partial_one(double duration, double length, int expected)
    {
        Assert.Equal(expected, new ClipGrid(duration, length).Count);
    }

    [Fact]
    public void Last_clip_ends_at_the_video_end()
    {
        var grid = new ClipGrid(30.7);

        Assert.Equal(new Clip(0, 0, 2), grid[0]);
        Assert.Equal(new Clip(15, 30, 30.7), grid[15]);
        Assert.Equal(0.7, grid[15].Length, 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => grid[16]);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.999, 0)]
    [InlineData(2.0, 1)]
    [InlineData(30.5, 15)]
    [InlineData(31.0, 15)]
    [InlineData(-0.1, 0)]
    public void Maps_times_to_clips(double seconds, int clip)
    {
        Assert.Equal(clip, new ClipGrid(30.7).ClipOf(seconds));
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClipGrid(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClipGrid(10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClipGrid(double.NaN));
        Assert.Throws<InvalidOperationException>(() => new ClipGrid(0).ClipOf(0));
    }

    [Fact]
    public async Task Grouping_yields_every_clip_including_empty_ones()
    {
        var grid = new ClipGrid(7);
        var frames = new[] { 0.1, 0.9, 4.5, 6.8 }.Select(t => VideoFrame.FromRgb(new byte[3], 1, 1, t)).ToAsyncEnumerable();
        var groups = new List<ClipFrames>();
        await foreach (var group in grid.GroupAsync(frames, TestContext.Current.CancellationToken))
            groups.Add(group);

        Assert.Equal([2, 0, 1, 1], groups.Select(g => g.Frames.Count));
        Assert.Equal([0, 1, 2, 3], groups.Select(g => g.Clip.Index));
    }
}

public class ShowInfoParserTests
{
    private const string Config = "[Parsed_showinfo_3 @ 0x55c48ae6a4c0] [info] config in time_base: 1/15360, frame_rate: 30/1";

    private static string FrameLine(long pts, string ptsTime) =>
        $"[Parsed_showinfo_3 @ 0x55c48ae6a4c0] [info] n:   7 pts:{pts,7} pts_time:{ptsTime,-8} pos:     4375 fmt:rgb24 sar:1/1 s:64x48 i:P iskey:1 type:I checksum:BDCC5350";

    [Fact]
    public void Computes_exact_time_from_ticks_not_the_rounded_pts_time()
    {
        var parser = new ShowInfoParser();
        Assert.False(parser.TryParseFrame(Config, out _));

        // 3h 25m 45.6789s at 1/15360: pts_time prints six significant digits ("12345.7").
        Assert.True(parser.TryParseFrame(FrameLine(189_634_626, "12345.7"), out var seconds));
        Assert.Equal(189_634_626 / 15360.0, seconds, 9);
    }

    [Fact]
    public void Adds_back_the_seek_offset_tick_exactly()
    {
        // -ss 7.77: FFmpeg subtracted round(7.77 * 15360) = 119347 ticks; the frame at 7.8 s (119808) shows pts 461.
        var parser = new ShowInfoParser(seekMicroseconds: 7_770_000);
        parser.TryParseFrame(Config, out _);

        Assert.True(parser.TryParseFrame(FrameLine(461, "0.0300130"), out var seconds));
        Assert.Equal(7.8, seconds, 12);
    }

    [Fact]
    public void Ignores_other_lines_and_reads_missing_timestamps_as_nan()
    {
        var parser = new ShowInfoParser();
        Assert.False(parser.TryParseFrame("[info] Stream mapping:", out _));
        Assert.False(parser.TryParseFrame("[Parsed_showinfo_3 @ 0x1] [info]   side data - User Data Unregistered:", out _));
        parser.TryParseFrame(Config, out _);
        Assert.True(parser.TryParseFrame("[Parsed_showinfo_3 @ 0x1] [info] n:   0 pts:NOPTS pts_time:NOPTS pos: 1", out var seconds));
        Assert.True(double.IsNaN(seconds));
    }
}

public class DecodePlannerTests
{
    [Fact]
    public void Dense_rate_is_one_continuous_pass()
    {
        var plan = DecodePlanner.Plan(FrameSampling.AtRate(1), 3600, new FrameSamplerOptions());

        var segment = Assert.Single(plan);
        Assert.Equal(0, segment.SeekMicroseconds);
        Assert.Null(segment.ReadDuration);
        Assert.Contains("floor(t*1)", segment.SelectExpression, StringComparison.Ordinal);
    }

    [Fact]
    public void The_seek_strategy_seeks_for_every_rate_sample_and_auto_only_across_wide_gaps()
    {
        var seek = DecodePlanner.Plan(FrameSampling.AtRate(0.5), 10, new FrameSamplerOptions { Strategy = DecodeStrategy.Seek });
        Assert.Equal([0L, 2_000_000, 4_000_000, 6_000_000, 8_000_000], seek.Select(s => s.SeekMicroseconds));
        var auto = DecodePlanner.Plan(FrameSampling.AtRate(0.2), 20, new FrameSamplerOptions());
        Assert.Single(auto); // 5-s gaps: one continuous pass
    }

    [Theory]
    [InlineData(1.0, 30.0, false, false)]
    [InlineData(15.0, 30.0, false, false)]
    [InlineData(1.0, 30.0, true, true)]
    [InlineData(15.0, 30.0, true, true)]
    [InlineData(20.0, 30.0, true, false)]
    public void Non_reference_frames_are_skipped_only_when_asked_and_most_frames_are_not_wanted(double rate, double frameRate, bool option, bool expected)
    {
        var plan = DecodePlanner.Plan(FrameSampling.AtRate(rate), 60, new FrameSamplerOptions { SkipNonReferenceFrames = option }, frameRate);

        Assert.Equal(expected, Assert.Single(plan).SkipNonReference);
        Assert.All(DecodePlanner.Plan(FrameSampling.AtTimestamps([1, 2, 3]), 60, new FrameSamplerOptions(), frameRate), s => Assert.False(s.SkipNonReference));
    }

    [Fact]
    public void Sparse_rate_seeks_to_each_sample()
    {
        var plan = DecodePlanner.Plan(FrameSampling.AtRate(1.0 / 30), 100, new FrameSamplerOptions());

        Assert.Equal([0L, 30_000_000, 60_000_000, 90_000_000], plan.Select(s => s.SeekMicroseconds));
        Assert.All(plan, s => Assert.Equal(DecodeTuning.SegmentTailSeconds, s.ReadDuration));
    }

    [Fact]
    public void Close_timestamps_share_a_run_and_far_ones_seek()
    {
        var plan = DecodePlanner.Plan(FrameSampling.AtTimestamps([1, 1.5, 2, 50, 50.2, 200]), 300, new FrameSamplerOptions());

        Assert.Equal([1_000_000L, 50_000_000, 200_000_000], plan.Select(s => s.SeekMicroseconds));
        Assert.Equal(1 + DecodeTuning.SegmentTailSeconds, plan[0].ReadDuration!.Value, 9);
        Assert.Contains("gte(t,0.5)", plan[0].SelectExpression, StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamps_past_the_end_are_dropped_and_runs_are_bounded()
    {
        var times = Enumerable.Range(0, 100).Select(i => i * 0.1).Append(99);
        var plan = DecodePlanner.Plan(FrameSampling.AtTimestamps(times), 50, new FrameSamplerOptions());

        Assert.Equal(4, plan.Count); // 100 close times in runs of at most 32
        Assert.DoesNotContain(plan, s => s.SeekTo >= 50);
    }

    [Fact]
    public void Sampling_arguments_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameSampling.AtRate(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameSampling.AtRate(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameSampling.AtTimestamps([-1]));
        Assert.Equal([1.0, 2.0], FrameSampling.AtTimestamps([2, 1, 2]).Timestamps);
    }
}

public class FfprobeOutputTests
{
    [Theory]
    [InlineData("\"side_data_list\": [{\"rotation\": -90}]", 90)]
    [InlineData("\"side_data_list\": [{\"rotation\": 90}]", 270)]
    [InlineData("\"side_data_list\": [{\"rotation\": 180}]", 180)]
    [InlineData("\"side_data_list\": [{\"rotation\": -180}]", 180)]
    [InlineData("\"tags\": {\"rotate\": \"90\"}", 90)]
    [InlineData("\"tags\": {\"rotate\": \"270\"}", 270)]
    [InlineData("\"tags\": {}", 0)]
    public void Rotation_is_normalised_to_clockwise_degrees(string fragment, int clockwise)
    {
        var json = $$$"""
            {"streams": [{"index": 0, "codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080,
              "avg_frame_rate": "30000/1001", "r_frame_rate": "30000/1001", "sample_aspect_ratio": "1:1", {{{fragment}}} }],
             "format": {"format_name": "mov,mp4", "duration": "12.5", "size": "1000"}}
            """;
        var info = FfprobeOutput.Parse("x.mp4", json);

        Assert.Equal(clockwise, info.PrimaryVideo!.Rotation);
        Assert.Equal(30000 / 1001.0, info.PrimaryVideo.FrameRate, 9);
    }

    [Fact]
    public void Anamorphic_pixels_widen_the_display_size()
    {
        var json = """
            {"streams": [{"index": 0, "codec_type": "video", "codec_name": "mpeg2video", "width": 720, "height": 576,
              "avg_frame_rate": "25/1", "r_frame_rate": "25/1", "sample_aspect_ratio": "64:45"}],
             "format": {"format_name": "mpeg", "duration": "5", "start_time": "1.4"}}
            """;
        var info = FfprobeOutput.Parse("x.mpg", json);

        Assert.Equal((1024, 576), (info.PrimaryVideo!.DisplayWidth, info.PrimaryVideo.DisplayHeight));
        Assert.Equal(1.4, info.StartTime, 9);
    }

    [Fact]
    public void Cover_images_are_not_video_streams_and_matroska_durations_are_read()
    {
        var json = """
            {"streams": [
              {"index": 0, "codec_type": "audio", "codec_name": "mp3", "sample_rate": "44100", "channels": 2, "tags": {"DURATION": "00:03:05.250000000"}},
              {"index": 1, "codec_type": "video", "codec_name": "mjpeg", "width": 500, "height": 500, "disposition": {"attached_pic": 1}}],
             "format": {"format_name": "mp3"}}
            """;
        var info = FfprobeOutput.Parse("song.mp3", json);

        Assert.Empty(info.VideoStreams);
        Assert.Null(info.PrimaryVideo);
        Assert.Equal(185.25, info.Duration, 6);
    }

    [Theory]
    [InlineData("30000/1001", 29.97002997)]
    [InlineData("25", 25.0)]
    [InlineData("0/0", null)]
    [InlineData("N/A", null)]
    [InlineData(null, null)]
    public void Rationals(string? text, double? expected)
    {
        var value = FfprobeOutput.Rational(text);
        if (expected is null)
            Assert.Null(value);
        else
            Assert.Equal(expected.Value, value!.Value, 6);
    }
}

public class ContainerSnifferTests
{
    [Fact]
    public void Recognises_container_signatures()
    {
        byte[] mp4 = [0, 0, 0, 0x20, .. "ftypisom"u8, 0, 0, 0, 0];
        byte[] mkv = [0x1A, 0x45, 0xDF, 0xA3, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] avi = [.. "RIFF"u8, 0, 0, 0, 0, .. "AVI "u8];
        byte[] text = [.. "Hello, this is text."u8];

        Assert.True(ContainerSniffer.LooksLikeMedia(mp4));
        Assert.True(ContainerSniffer.LooksLikeMedia(mkv));
        Assert.True(ContainerSniffer.LooksLikeMedia(avi));
        Assert.False(ContainerSniffer.LooksLikeMedia(text));
        Assert.False(ContainerSniffer.LooksLikeMedia([]));
    }
}

public class ToolLogTests
{
    [Fact]
    public void File_names_are_matched_as_ffmpeg_logs_them_with_control_characters_as_question_marks()
    {
        Assert.Equal("a?]0;x?b\tc?[2J\u009bd.mp4", ToolLog.AsLogged("a\u001b]0;x\u0007b\tc\u001b[2J\u009bd.mp4"));
        Assert.Equal("plain name.mp4", ToolLog.AsLogged("plain name.mp4"));
    }

    [Theory]
    [InlineData("[h264 @ 0x55d0] [error] error while decoding MB 12 7, bytestream -5", 1, 0)]
    [InlineData("[warning] file:/v/a.mp4: corrupt decoded frame in stream 0", 0, 1)] // concealed damage, logged as a warning
    [InlineData("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0] [warning] stream 0, timescale not set", 0, 0)]
    [InlineData("[Parsed_showinfo_1 @ 0x55d0] [info] n:   0 pts:      0 pts_time:0", 0, 0)]
    public void Errors_and_concealed_damage_are_counted_apart(string line, int errors, int concealed)
    {
        var log = new ToolLog();
        log.Add(line);

        Assert.Equal((errors, concealed), (log.ErrorCount, log.ConcealedCount));
    }
}
