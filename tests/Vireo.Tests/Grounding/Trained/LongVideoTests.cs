using Vireo.Grounding.Trained;
using Vireo.Research.Features;
using Vireo.Temporal;
using Vireo.Tests.Support;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>
/// Videos longer than the network's 75-clip window: covered by overlapping windows, moments merged, saliency stitched.
/// A real QVHighlights video (150 s) is planted in a 20x longer one made of other real and synthetic clip features.
/// </summary>
public class LongVideoTests(ITestOutputHelper output)
{
    public static TheoryData<string> Architectures => new(TrainedFixtures.Architectures);

    [Theory]
    [InlineData(75, 75)]
    [InlineData(76, 75)]
    [InlineData(1500, 75)]
    [InlineData(3600, 75)]
    [InlineData(200, 10)]
    public void Windows_cover_every_clip_and_hold_every_moment_of_up_to_a_third_of_a_window_whole(int clips, int maxClips)
    {
        var windows = ClipWindow.Cover(clips, maxClips);

        Assert.Equal(0, windows[0].Start);
        Assert.Equal(clips, windows[^1].End);
        Assert.All(windows, w => Assert.True(w.Count == Math.Min(clips, maxClips) && w.Start >= 0 && w.End <= clips));
        for (var i = 1; i < windows.Count; i++)
            Assert.True(windows[i].Start > windows[i - 1].Start && windows[i].Start <= windows[i - 1].End - maxClips / 3, $"window {i} leaves a gap or too little overlap");
        var longest = Math.Max(1, maxClips - maxClips * 2 / 3);
        for (var start = 0; start + longest <= clips; start++)
            Assert.Contains(windows, w => w.Start <= start && start + longest <= w.End);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public async Task A_moment_of_a_150_second_video_keeps_its_boundaries_when_the_video_is_20_times_longer(string architecture)
    {
        var grounder = ImportedGrounders.Get(architecture);
        var (video, text) = await PlantedQueryAsync();
        var shortPrediction = grounder.Predict(video.Data, video.Rows, text.Data, text.Rows);
        var top = shortPrediction.Moments[0];
        var filler = await FillerAsync(1500 - video.Rows);

        var windowStarts = ClipWindow.Cover(1500, grounder.Config.MaxVideoClips).Select(w => w.Start).ToHashSet();
        var offsets = new[] { 0, 50, 300, 700, 1000, 1425, 25, 333, 1111 };
        var aligned = offsets.Where(windowStarts.Contains).ToArray();
        var found = 0;
        foreach (var offset in offsets)
        {
            var longVideo = Plant(filler, video, offset);
            var prediction = grounder.Predict(longVideo, 1500, text.Data, text.Rows, maxMoments: 0);
            var planted = new TemporalWindow(top.Start + offset * 2, top.End + offset * 2);
            var rank = prediction.Moments.ToList().FindIndex(m => Math.Abs(m.Start - planted.Start) < 1e-3 && Math.Abs(m.End - planted.End) < 1e-3) + 1;
            var bestIoU = prediction.Moments.Max(m => m.Window.IoU(planted));
            output.WriteLine($"{architecture} offset {offset} clips ({(windowStarts.Contains(offset) ? "a window starts there" : "between windows")}): " +
                $"top moment [{planted.Start:0.##}, {planted.End:0.##}] " + (rank > 0 ? $"found at rank {rank} of {prediction.Moments.Count} merged" : "not among the merged moments") + $", best IoU {bestIoU:0.###}");
            Assert.Equal(1500, prediction.Saliency.Length);
            Assert.Equal(30, prediction.Windows);
            if (windowStarts.Contains(offset))
            {
                // The window that sees exactly the planted video gives its moments and, for its central clips, its saliency.
                Assert.Equal(shortPrediction.Saliency[37], prediction.Saliency[offset + 37]);
                if (rank > 0)
                    found++;
            }
        }
        output.WriteLine($"{architecture}: found with the same boundaries at {found} of {aligned.Length} offsets where a window starts");
        Assert.Equal(aligned.Length, found);
    }

    private static async Task<(FeatureArray Video, FeatureArray Text)> PlantedQueryAsync()
    {
        var video = await NpzFile.ReadAsync(Path.Combine(TrainedFixtures.VideoFeatures, "qtyBzFV9yTs_60.0_210.0.npz"), cancellationToken: TestContext.Current.CancellationToken);
        var text = await NpzFile.ReadAsync(Path.Combine(TrainedFixtures.TextFeatures, "qid5263.npz"), "last_hidden_state", TestContext.Current.CancellationToken);
        return (video, text);
    }

    /// <summary>Other videos' clips: a real CLIP-featured video and the fixtures' synthetic ones, repeated.</summary>
    private static async Task<float[]> FillerAsync(int clips)
    {
        var sources = new List<FeatureArray>
        {
            await NpzFile.ReadAsync(SharedData.Require("data/features/univtg_demo_vid_clip.npz"), cancellationToken: TestContext.Current.CancellationToken),
        };
        foreach (var name in new[] { "synth020_0.0_40.0", "synth048_0.0_96.0", "synth075_0.0_150.0" })
            sources.Add(await NpzFile.ReadAsync(Path.Combine(TrainedFixtures.VideoFeatures, name + ".npz"), cancellationToken: TestContext.Current.CancellationToken));
        var rows = sources.SelectMany(s => Enumerable.Range(0, s.Rows).Select(r => s.Row(r).ToArray())).ToList();
        var filler = new float[clips * 512];
        for (var i = 0; i < clips; i++)
            rows[i % rows.Count].CopyTo(filler, i * 512);
        return filler;
    }

    private static float[] Plant(float[] filler, FeatureArray video, int offset)
    {
        var result = new float[filler.Length + video.Data.Length];
        filler.AsSpan(0, offset * 512).CopyTo(result);
        video.Data.CopyTo(result, offset * 512);
        filler.AsSpan(offset * 512).CopyTo(result.AsSpan((offset + video.Rows) * 512));
        return result;
    }
}
