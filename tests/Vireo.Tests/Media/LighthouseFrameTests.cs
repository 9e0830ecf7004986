using System.Globalization;
using Vireo.Media;
using Vireo.Media.PerClip;
using Vireo.Tests.Support;

namespace Vireo.Tests.Media;

/// <summary>
/// One frame per clip, taken as Lighthouse's CLIP frame loader takes it (lighthouse/frame_loaders/clip_loader.py): the
/// frames, their times and their count for a given duration.
/// </summary>
public class LighthouseFrameTests
{
    /// <summary>
    /// The official frames of the shared videos. Produced by running Lighthouse's unchanged CLIPLoader(2.0, 0.5, 224)
    /// (commit d095eaa, ffmpeg-python 0.2.0, FFmpeg 5.1 of Debian 12) on each video, then finding each returned frame
    /// among all decoded frames (same scale and crop, every frame with its showinfo pts) by exact pixel equality.
    /// </summary>
    public static TheoryData<string, double[]> OfficialFrameTimes => new()
    {
        // charades.mp4: 480x270, 15000/1001 fps, stream duration 30.697 s → 15 clips.
        { "charades.mp4", [0.934267, 2.93627, 4.93827, 6.94027, 8.94227, 10.9443, 12.9463, 14.9483, 16.9503, 18.9523, 20.9543, 22.9563, 24.9583, 26.9603, 28.9623] },
        // demo.mp4: 406x720 (portrait), 30 fps, 14.967 s → 7 clips; the frame at exactly 1.000 s already rounds to the next clip.
        { "demo.mp4", [0.966667, 2.96667, 4.96667, 6.96667, 8.96667, 10.9667, 12.9667] },
    };

    [Theory]
    [MemberData(nameof(OfficialFrameTimes))]
    public async Task The_frames_of_the_shared_videos_are_the_official_ones(string video, double[] expected)
    {
        var path = SharedData.Require("data/videos/" + video);
        var times = new List<double>();
        await foreach (var frame in LighthouseFrameSampler.SampleAsync(path, cancellationToken: Frames.Ct))
        {
            using (frame)
            {
                Assert.Equal((224, 224), (frame.Width, frame.Height));
                Assert.Equal(times.Count, frame.Index);
                Assert.Equal(2.0 * times.Count, frame.RequestedTime, 9);
                times.Add(frame.Timestamp);
            }
        }
        Assert.Equal(expected.Length, times.Count);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - times[i]) < 1e-4, $"clip {i}: official frame at {expected[i]} s, Vireo's at {times[i]} s");
    }

    [Fact]
    public async Task A_video_whose_stream_starts_late_keeps_the_official_clip_count()
    {
        // talk.mp4's video starts at 0.023 s and lasts 49 s: its end (49.023 s) is past 24.5 clips, so 25 (official: 25).
        var path = SharedData.Require("data/videos/talk.mp4");
        var count = 0;
        await foreach (var frame in LighthouseFrameSampler.SampleAsync(path, cancellationToken: Frames.Ct))
        {
            frame.Dispose();
            count++;
        }
        Assert.Equal(25, count);
    }

    [Theory]
    // The ffmpeg-python command lines the official loader ran on the shared videos: scale=398:224, crop=224:224:87:0 and
    // scale=224:397, crop=224:224:0:86.
    [InlineData(480, 270, 398, 224, 87, 0)]
    [InlineData(406, 720, 224, 397, 0, 86)]
    // Truncation, not rounding: 224·853/480 = 398.07 → 398 and (398 − 224)/2 = 87; 224·641/360 = 398.84 → 398.
    [InlineData(853, 480, 398, 224, 87, 0)]
    [InlineData(641, 360, 398, 224, 87, 0)]
    [InlineData(225, 400, 224, 398, 0, 87)]
    [InlineData(300, 300, 224, 224, 0, 0)]
    public void Frames_are_scaled_on_the_shorter_side_and_cropped_in_the_middle_with_truncated_offsets(
        int width, int height, int scaleWidth, int scaleHeight, int cropX, int cropY)
    {
        var plan = LighthouseFramePlan.For(width, height, duration: 60);
        Assert.Equal((scaleWidth, scaleHeight, cropX, cropY, 224), (plan.ScaleWidth, plan.ScaleHeight, plan.CropX, plan.CropY, plan.Size));
        Assert.Equal(new FrameRate(1, 2), plan.Rate);
    }

    [Theory]
    // Shorter than one clip plus 0.1 s: 2 / max(int(duration), 1) frames per second (clip_loader.py's special case).
    [InlineData(1.5, 2.0, 2, 1)]
    [InlineData(0.4, 2.0, 2, 1)]
    [InlineData(2.05, 2.0, 1, 1)]
    [InlineData(2.1, 2.0, 1, 2)]
    [InlineData(30, 1.0, 1, 1)]
    [InlineData(1.05, 1.0, 2, 1)]
    [InlineData(30, 1.5, 2, 3)]
    public void The_rate_is_one_frame_per_clip_except_for_videos_shorter_than_a_clip(double duration, double clipLength, long numerator, long denominator)
    {
        Assert.Equal(new FrameRate(numerator, denominator), LighthouseFramePlan.For(320, 240, duration, clipLength).Rate);
    }

    /// <summary>
    /// Lighthouse's rule, written out: FFmpeg's fps filter (rounding to nearest, halves away from zero) gives slot k the
    /// last frame before (k + ½) slots, and makes round(end / slot) slots, end being the last frame's end.
    /// </summary>
    private static List<int> ExpectedFrameNumbers(int frameCount, int framesPerSecond, double slotSeconds)
    {
        var end = (double)frameCount / framesPerSecond;
        var slots = (int)Math.Round(end / slotSeconds, MidpointRounding.AwayFromZero);
        var chosen = new List<int>();
        for (var k = 0; k < slots; k++)
        {
            var last = 0;
            for (var n = 0; n < frameCount; n++)
            {
                if (Math.Round((double)n / framesPerSecond / slotSeconds, MidpointRounding.AwayFromZero) <= k)
                    last = n;
            }
            chosen.Add(last);
        }
        return chosen;
    }

    [Theory]
    [InlineData(3.0)]   // 1.5 clips → 2: a half clip at the end counts
    [InlineData(4.9)]   // 2.45 → 2: the last 0.9 s are dropped
    [InlineData(5.0)]   // 2.5 → 3
    [InlineData(3.3)]
    [InlineData(6.0)]
    [InlineData(1.5)]   // shorter than a clip: 2 frames per second, 3 of them
    public async Task Each_clip_gets_the_frame_the_official_rule_chooses(double duration)
    {
        const int fps = 10;
        var frameCount = (int)Math.Round(duration * fps);
        var path = await NumberedFramesAsync(duration, fps);
        var info = await MediaProbe.ProbeVideoAsync(path, cancellationToken: Frames.Ct);
        var plan = LighthouseFramePlan.For(info, 2.0, 32);
        var expected = ExpectedFrameNumbers(frameCount, fps, plan.Rate.Interval);

        var numbers = new List<int>();
        await foreach (var frame in LighthouseFrameSampler.SampleAsync(info, plan, cancellationToken: Frames.Ct))
        {
            using (frame)
            {
                var shown = FrameNumberShown(frame);
                numbers.Add(shown);
                Assert.Equal((double)shown / fps, frame.Timestamp, 6);
            }
        }
        Assert.Equal(expected, numbers);
    }

    [Fact]
    public async Task A_damaged_video_fails_naming_the_file()
    {
        var path = TestVideos.NewPath("not-a-video.mp4");
        await File.WriteAllTextAsync(path, "this is not a video", Frames.Ct);
        var error = await Assert.ThrowsAnyAsync<MediaException>(async () =>
        {
            await foreach (var frame in LighthouseFrameSampler.SampleAsync(path, cancellationToken: Frames.Ct))
                frame.Dispose();
        });
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A grey video whose frame n has luma 16 + 4n (lossless), so a frame's colour tells its number.</summary>
    private static async Task<string> NumberedFramesAsync(double duration, int fps)
    {
        var path = TestVideos.NewPath(string.Create(CultureInfo.InvariantCulture, $"numbered-{duration}.mp4"));
        await FFmpegRunner.RunAsync(
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"color=c=black:s=64x48:r={fps}:d={duration}"),
            "-vf", "format=yuv444p,geq=lum='16+4*N':cb=128:cr=128",
            "-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv444p", path);
        return path;
    }

    private static int FrameNumberShown(VideoFrame frame)
    {
        var (r, g, b) = FrameAssert.MeanColor(frame);
        var grey = (r + g + b) / 3;
        return (int)Math.Round(grey * 219 / 255 / 4); // limited-range luma back from full-range RGB
    }
}
