using Vireo.Grounding;
using Vireo.Media;
using Vireo.Relocalization;
using Vireo.Tests.Support;

namespace Vireo.Tests.Relocalization;

/// <summary>A segment that occurs twice in one video (once as it is, once faster and brighter) is reported twice there.</summary>
public class RepeatedSegmentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_occurrence_in_one_video_is_a_match()
    {
        var folder = TestVideos.NewPath("repeated");
        var hosts = Directory.CreateDirectory(Path.Combine(folder, "hosts")).FullName;
        var source = await ColourVideos.WriteAsync(Path.Combine(folder, "source.mp4"), 160, 120,
            [("red", 3), ("blue", 2.5), ("yellow", 4), ("gray", 2), ("lime", 3.5), ("0x800080", 2), ("white", 3), ("black", 2.5), ("0xFF8000", 3), ("blue", 4)]);
        var asIs = Path.Combine(folder, "as-is.mp4");
        var faster = Path.Combine(folder, "faster.mp4");
        await FFmpegRunner.RunAsync("-ss", "3", "-t", "14", "-i", source, "-vf", "fps=10", "-c:v", "libx264", "-preset", "ultrafast", asIs);
        await FFmpegRunner.RunAsync("-ss", "3", "-t", "14", "-i", source, "-vf", "setpts=PTS/1.25,eq=brightness=0.08,fps=10", "-c:v", "mpeg4", "-q:v", "8", faster);
        var host = Path.Combine(hosts, "replays.mp4");
        await RelocalizationVideos.ConcatAsync(host, [RelocalizationVideos.Lavfi("white", 5), asIs, RelocalizationVideos.Lavfi("red", 6),
            RelocalizationVideos.Lavfi("black", 4), faster, RelocalizationVideos.Lavfi("0xFF8000", 5)]);
        var first = new TemporalWindow(5, 5 + (await MediaProbe.ProbeVideoAsync(asIs, cancellationToken: Ct)).Duration);
        var secondStart = first.End + 10;
        var second = new TemporalWindow(secondStart, secondStart + (await MediaProbe.ProbeVideoAsync(faster, cancellationToken: Ct)).Duration);
        var library = Path.Combine(folder, "library");
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;
        var (code, _, error) = await CliRunner.RunAsync("index", hosts, "--library", library, "--model", model);
        Assert.True(code == 0, error);

        using var clip = Vireo.Models.ClipModel.Load(model);
        using var relocalizer = new Relocalizer(Vireo.Library.VideoLibrary.Open(library, create: false), clip);
        var result = await relocalizer.FindAsync(source, new TemporalWindow(3, 17), Ct);

        Assert.Equal(2, result.Matches.Count);
        var ordered = result.Matches.OrderBy(m => m.Start).ToList();
        Assert.True(ordered[0].Window.IoU(first) >= 0.8, $"{ordered[0].Window} vs {first}");
        Assert.True(ordered[1].Window.IoU(second) >= 0.8, $"{ordered[1].Window} vs {second}");
        Assert.Equal(1.0, ordered[0].Speed, 0.1);
        Assert.Equal(1.25, ordered[1].Speed, 0.15);
    }
}
