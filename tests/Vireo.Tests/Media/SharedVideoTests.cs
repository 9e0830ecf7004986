using Vireo.Media;
using Vireo.Tests.Support;
using Vireo.Temporal;

namespace Vireo.Tests.Media;

/// <summary>The two real videos of ../shared/data/videos.</summary>
public class SharedVideoTests
{
    [Fact]
    public async Task Charades_clip_probes_as_published()
    {
        var path = SharedData.Require("data/videos/charades.mp4");
        var info = await MediaProbe.ProbeVideoAsync(path, cancellationToken: Frames.Ct);

        Assert.Equal(30.744, info.Duration, 2);
        var video = info.PrimaryVideo!;
        Assert.Equal(("h264", 480, 270), (video.Codec, video.Width, video.Height));
        Assert.Equal(15000 / 1001.0, video.FrameRate, 3);
        Assert.Equal("aac", Assert.Single(info.AudioStreams).Codec);
        Assert.Equal(16, new ClipGrid(info.Duration).Count);
    }

    [Fact]
    public async Task Charades_clip_samples_at_one_fps_into_224_frames()
    {
        var path = SharedData.Require("data/videos/charades.mp4");
        var frames = await Frames.CollectAsync(path, FrameSampling.AtRate(1), new() { Size = FrameSize.ShorterSide(224) });

        Assert.Equal(31, frames.Count);
        Assert.All(frames, f => Assert.Equal((398, 224), (f.Width, f.Height)));
        for (var k = 0; k < frames.Count; k++)
        {
            // The first decoded frame at or after k seconds (frames nothing refers to are skipped), at 14.985 fps:
            // a few frame intervals late at most.
            Assert.InRange(frames[k].Timestamp, k, k + 4 * 1001 / 15000.0 + 1e-6);
        }
        // Real content: not a constant image.
        var means = frames.Select(f => FrameAssert.MeanColor(f).R).ToList();
        Assert.True(means.Max() - means.Min() > 1, "frames do not change over the video");
    }

    [Fact]
    public async Task Portrait_demo_clip_keeps_its_orientation()
    {
        var path = SharedData.Require("data/videos/demo.mp4");
        var info = await MediaProbe.ProbeVideoAsync(path, cancellationToken: Frames.Ct);
        var frames = await Frames.CollectAsync(path, FrameSampling.AtRate(0.5), new() { Size = FrameSize.ShorterSide(224) });

        Assert.Equal((406, 720), (info.PrimaryVideo!.DisplayWidth, info.PrimaryVideo.DisplayHeight));
        Assert.Equal(8, frames.Count);
        Assert.All(frames, f => Assert.Equal((224, 397), (f.Width, f.Height)));
    }
}
