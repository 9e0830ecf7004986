using System.Diagnostics;
using Vireo.Media;
using Vireo.Tests.Support;

namespace Vireo.Tests.Media;

public class ProcessLifetimeTests
{
    [Fact]
    public async Task Cancelling_kills_and_reaps_ffmpeg()
    {
        var path = TestVideos.NewPath("cancel-me.mp4");
        File.Copy(await TestVideos.Testsrc(), path);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Frames.Ct);
        var count = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var frame in FrameSampler.SampleAsync(path, FrameSampling.AtRate(30), new() { Size = FrameSize.Original }, cts.Token))
            {
                frame.Dispose();
                if (++count == 3)
                    await cts.CancelAsync();
            }
        });

        Assert.Equal(3, count);
        Assert.Equal(0, Frames.RunningProcessesMentioning(path));
    }

    [Fact]
    public async Task Stopping_early_kills_and_reaps_ffmpeg()
    {
        var path = TestVideos.NewPath("stop-early.mp4");
        File.Copy(await TestVideos.Testsrc(), path);

        await foreach (var frame in FrameSampler.SampleAsync(path, FrameSampling.AtRate(30), new() { Size = FrameSize.Original }, Frames.Ct))
        {
            frame.Dispose();
            break;
        }

        Assert.Equal(0, Frames.RunningProcessesMentioning(path));
    }

    [Fact]
    public async Task Ffmpeg_that_makes_no_progress_is_stopped_after_the_stall_timeout()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "needs mkfifo");
        var fifo = TestVideos.NewPath("never-written.fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo))
            await mkfifo.WaitForExitAsync(Frames.Ct);
        var fake = new MediaInfo(fifo, "mpegts", 10, 0, 0, null,
            [new VideoStreamInfo(0, "h264", "", 64, 48, 25, 25, 0, 1, "yuv420p", 10, null, true)], [], []);
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<MediaTimeoutException>(async () =>
        {
            await foreach (var frame in FrameSampler.SampleAsync(fake, FrameSampling.AtRate(1), new() { StallTimeout = TimeSpan.FromSeconds(1) }, Frames.Ct))
                frame.Dispose();
        });

        Assert.Contains(fifo, error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        Assert.Equal(0, Frames.RunningProcessesMentioning(fifo));
    }

    [Fact]
    public async Task A_slow_consumer_is_not_mistaken_for_a_stall()
    {
        var frames = 0;
        await foreach (var frame in FrameSampler.SampleAsync(await TestVideos.ColorSegments(), FrameSampling.AtRate(1),
            new() { Size = FrameSize.Exact(8, 8), StallTimeout = TimeSpan.FromSeconds(2) }, Frames.Ct))
        {
            frame.Dispose();
            // Holding a frame longer than the stall timeout: FFmpeg waits on a full pipe, which is no stall.
            if (++frames <= 2)
                await Task.Delay(3000, Frames.Ct);
        }

        Assert.Equal(9, frames);
    }

    [Fact]
    public async Task Missing_ffmpeg_is_a_clear_error()
    {
        var tools = new FFmpegTools("/nonexistent/ffmpeg", "/nonexistent/ffprobe");

        var video = await TestVideos.ColorSegments();

        var error = await Assert.ThrowsAsync<FFmpegNotFoundException>(() => MediaProbe.ProbeAsync(video, tools, Frames.Ct));
        Assert.Contains("apt-get install ffmpeg", error.Message, StringComparison.Ordinal);
    }
}
