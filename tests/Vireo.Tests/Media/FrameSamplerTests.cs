using Vireo.Media;
using Vireo.Tests.Support;
using Vireo.Temporal;

namespace Vireo.Tests.Media;

public class FrameSamplerTests
{
    [Fact]
    public async Task Sampling_at_one_fps_gives_a_frame_per_second_with_stream_timestamps()
    {
        var frames = await Frames.CollectAsync(await TestVideos.Testsrc(), FrameSampling.AtRate(1), new() { Size = FrameSize.ShorterSide(64), SkipNonReferenceFrames = false });

        Assert.Equal(10, frames.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(i, frames[i].Index);
            Assert.Equal(i, frames[i].Timestamp, 6);
            Assert.Equal(i, frames[i].RequestedTime, 6);
            Assert.Equal((85, 64), (frames[i].Width, frames[i].Height));
            Assert.Equal(85 * 64 * 3, frames[i].Pixels.Length);
        }
    }

    [Theory]
    [InlineData(0.5, new[] { 0.0, 2, 4, 6, 8 })]
    [InlineData(2.0, new[] { 0.0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5 })]
    [InlineData(0.3, new[] { 0.0, 3.3333333, 6.6666667 })]
    public async Task Sampling_rate_picks_the_first_frame_of_each_interval(double fps, double[] expected)
    {
        var frames = await Frames.CollectAsync(await TestVideos.Testsrc(), FrameSampling.AtRate(fps), new() { Size = FrameSize.Exact(32, 24), SkipNonReferenceFrames = false });

        // The first frame at or after k/R: at 30 fps, 10/3 s lands on frame 100 (3.3333 s) and 20/3 s on frame 200.
        Assert.Equal(expected.Length, frames.Count);
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], frames[i].Timestamp, 4);
    }

    [Fact]
    public async Task Sampling_at_timestamps_gives_the_first_frame_at_or_after_each()
    {
        double[] requested = [1.5, 3.2, 7.77, 7.78, 9.95, 9.99];
        var frames = await Frames.CollectAsync(await TestVideos.Testsrc(), FrameSampling.AtTimestamps(requested), new() { Size = FrameSize.Exact(32, 24) });

        // At 30 fps: 7.77 and 7.78 both resolve to frame 234 (7.8 s), delivered once; 9.95 to the last frame
        // (299, 9.9667 s); nothing is at or after 9.99.
        Assert.Equal([1.5, 3.2, 7.8, Math.Round(299 / 30.0, 6)], frames.Select(f => Math.Round(f.Timestamp, 6)).ToArray());
        Assert.Equal([1.5, 3.2, 7.77, 9.95], frames.Select(f => f.RequestedTime).ToArray());
    }

    [Theory]
    [InlineData(DecodeStrategy.Continuous)]
    [InlineData(DecodeStrategy.Seek)]
    public async Task Seeking_and_continuous_decoding_deliver_identical_frames(DecodeStrategy strategy)
    {
        var video = await TestVideos.Testsrc();
        double[] times = [0.4, 2.0, 6.1, 9.5];
        var reference = await Frames.CollectAsync(video, FrameSampling.AtTimestamps(times), new() { Strategy = DecodeStrategy.Continuous, Size = FrameSize.ShorterSide(48) });
        var frames = await Frames.CollectAsync(video, FrameSampling.AtTimestamps(times), new() { Strategy = strategy, Size = FrameSize.ShorterSide(48) });

        Assert.Equal(reference.Count, frames.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(reference[i].Timestamp, frames[i].Timestamp, 9);
            Assert.True(reference[i].Pixels.SequenceEqual(frames[i].Pixels), $"frame at {frames[i].Timestamp} differs");
        }
    }

    [Fact]
    public async Task Sparse_rate_sampling_by_seeking_matches_continuous_decoding()
    {
        var video = await TestVideos.Testsrc();
        var seek = await Frames.CollectAsync(video, FrameSampling.AtRate(0.25), new() { Strategy = DecodeStrategy.Seek, Size = FrameSize.Exact(40, 30) });
        var pass = await Frames.CollectAsync(video, FrameSampling.AtRate(0.25), new() { Strategy = DecodeStrategy.Continuous, Size = FrameSize.Exact(40, 30), SkipNonReferenceFrames = false });

        Assert.Equal([0.0, 4, 8], seek.Select(f => Math.Round(f.Timestamp, 6)).ToArray());
        Assert.Equal(pass.Select(f => f.Timestamp), seek.Select(f => f.Timestamp));
        for (var i = 0; i < seek.Count; i++)
            Assert.True(pass[i].Pixels.SequenceEqual(seek[i].Pixels));
    }

    [Fact]
    public async Task Skipping_frames_nothing_depends_on_is_opt_in_and_moves_samples_to_the_next_decoded_frame()
    {
        var video = await TestVideos.Testsrc();
        var exact = await Frames.CollectAsync(video, FrameSampling.AtRate(1), new() { Size = FrameSize.Exact(32, 24) });
        var fast = await Frames.CollectAsync(video, FrameSampling.AtRate(1), new() { Size = FrameSize.Exact(32, 24), SkipNonReferenceFrames = true });

        // By default every sample is the first frame of its second, exactly.
        for (var k = 0; k < exact.Count; k++)
            Assert.Equal(k, exact[k].Timestamp, 6);
        // x264 makes B-frames no frame refers to: some seconds start on one, and skipping them then takes the next
        // decoded frame, a few frames later at most, with its own exact time.
        Assert.Equal(exact.Count, fast.Count);
        Assert.Contains(fast, f => Math.Abs(f.Timestamp - Math.Round(f.Timestamp)) > 1e-6);
        for (var k = 0; k < fast.Count; k++)
        {
            Assert.InRange(fast[k].Timestamp, k, k + 3 / 30.0 + 1e-6);
            Assert.Equal(fast[k].Timestamp * 30, Math.Round(fast[k].Timestamp * 30), 6);
            Assert.Equal(k, fast[k].RequestedTime, 9);
        }
    }

    [Fact]
    public async Task Frames_show_the_colours_of_their_time()
    {
        var frames = await Frames.CollectAsync(await TestVideos.ColorSegments(), FrameSampling.AtRate(1), new() { Size = FrameSize.Exact(16, 12) });

        Assert.Equal(9, frames.Count);
        foreach (var frame in frames)
        {
            (int, int, int) expected = frame.Timestamp < 3 ? (255, 0, 0) : frame.Timestamp < 6 ? (0, 128, 0) : (0, 0, 255);
            FrameAssert.Near(FrameAssert.MeanColor(frame), expected, what: $"frame at {frame.Timestamp} s");
        }
    }

    [Fact]
    public async Task Rotation_is_applied()
    {
        var frames = await Frames.CollectAsync(await TestVideos.QuadrantsRotated90(), FrameSampling.AtRate(1), new() { Size = FrameSize.Original });

        var frame = frames[0];
        Assert.Equal((240, 320), (frame.Width, frame.Height));
        // Turned 90 degrees clockwise: red (top-left) goes top-right, green (top-right) bottom-right,
        // white (bottom-right) bottom-left, blue (bottom-left) top-left.
        FrameAssert.Near(FrameAssert.MeanColor(frame, 130, 10, 100, 140), (255, 0, 0), what: "top-right");
        FrameAssert.Near(FrameAssert.MeanColor(frame, 130, 170, 100, 140), (0, 128, 0), what: "bottom-right");
        FrameAssert.Near(FrameAssert.MeanColor(frame, 10, 170, 100, 140), (255, 255, 255), what: "bottom-left");
        FrameAssert.Near(FrameAssert.MeanColor(frame, 10, 10, 100, 140), (0, 0, 255), what: "top-left");
    }

    [Fact]
    public async Task Rotation_and_shorter_side_resize_compose()
    {
        var frames = await Frames.CollectAsync(await TestVideos.QuadrantsRotated90(), FrameSampling.AtRate(1), new() { Size = FrameSize.ShorterSide(60) });

        Assert.Equal((60, 80), (frames[0].Width, frames[0].Height));
        FrameAssert.Near(FrameAssert.MeanColor(frames[0], 35, 5, 20, 30), (255, 0, 0), what: "top-right");
    }

    [Fact]
    public async Task Variable_frame_rate_timestamps_come_from_the_stream()
    {
        var frames = await Frames.CollectAsync(await TestVideos.VariableFrameRate(), FrameSampling.AtRate(1), new() { Size = FrameSize.Exact(32, 24) });

        var all = TestVideos.VariableFrameRateTimes;
        var expected = Enumerable.Range(0, 15)
            .Select(k => all.FirstOrDefault(t => t >= k - 1e-9 && t < k + 1 - 1e-9, double.NaN))
            .Where(t => !double.IsNaN(t))
            .ToArray();
        Assert.Equal([0.0, 1.0, 4.35, 5.1, 6.1, 7.1, 8.1, 9.1, 10.1, 11.1, 12.1, 13.1, 14.1], expected);
        Assert.Equal(expected, frames.Select(f => Math.Round(f.Timestamp, 3)).ToArray());
    }

    [Fact]
    public async Task Ten_bit_video_is_converted_to_rgb24()
    {
        var frames = await Frames.CollectAsync(await TestVideos.TenBit(), FrameSampling.AtRate(1), new() { Size = FrameSize.Original });

        Assert.Equal(2, frames.Count);
        FrameAssert.Near(FrameAssert.MeanColor(frames[0]), (255, 0, 255));
    }

    [Fact]
    public async Task Odd_frame_sizes_are_kept()
    {
        var frames = await Frames.CollectAsync(await TestVideos.OddSize(), FrameSampling.AtRate(1), new() { Size = FrameSize.Original });

        Assert.Equal(2, frames.Count);
        Assert.All(frames, f => Assert.Equal((333, 127, 333 * 127 * 3), (f.Width, f.Height, f.Pixels.Length)));
    }

    [Fact]
    public async Task Frames_can_be_grouped_into_two_second_clips()
    {
        var video = await TestVideos.Testsrc();
        var info = await MediaProbe.ProbeVideoAsync(video, cancellationToken: Frames.Ct);
        var grid = new ClipGrid(info.Duration);
        var clips = new List<ClipFrames>();
        await foreach (var clip in grid.GroupAsync(FrameSampler.SampleAsync(info, FrameSampling.AtRate(2), new() { Size = FrameSize.Exact(8, 8) }, Frames.Ct), Frames.Ct))
            clips.Add(clip);

        Assert.Equal(5, clips.Count);
        Assert.All(clips, c => Assert.Equal(4, c.Frames.Count));
        Assert.All(clips, c => Assert.All(c.Frames, f => Assert.InRange(f.Timestamp, c.Clip.Start, c.Clip.End)));
    }

    [Fact]
    public async Task Disposed_frames_refuse_access()
    {
        var frames = await Frames.CollectAsync(await TestVideos.ColorSegments(), FrameSampling.AtTimestamps([0]), new() { Size = FrameSize.Exact(4, 4) });
        var frame = Assert.Single(frames);
        frame.Dispose();

        Assert.Throws<ObjectDisposedException>(() => frame.Pixels.Length);
    }
}
