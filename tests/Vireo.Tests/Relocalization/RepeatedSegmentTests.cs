using Vireo.Grounding;
using Vireo.Media;
using Vireo.Relocalization;
using Vireo.Tests.Support;
using Vireo.Temporal;

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
        var (source, first, second) = await RelocalizationVideos.WriteReplaysAsync(folder, Path.Combine(hosts, "replays.mp4"));
        var library = Path.Combine(folder, "library");
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;
        var (code, _, error) = await CliRunner.RunAsync("index", hosts, "--library", library, "--model", model);
        Assert.True(code == 0, error);

        using var embeddingModel = Vireo.Models.EmbeddingModel.Load(model);
        using var relocalizer = new Relocalizer(Vireo.Library.VideoLibrary.Open(library, create: false), embeddingModel);
        var result = await relocalizer.FindAsync(source, new TemporalWindow(3, 17), Ct);

        Assert.Equal(2, result.Matches.Count);
        var ordered = result.Matches.OrderBy(m => m.Start).ToList();
        Assert.True(ordered[0].Window.IoU(first) >= 0.8, $"{ordered[0].Window} vs {first}");
        Assert.True(ordered[1].Window.IoU(second) >= 0.8, $"{ordered[1].Window} vs {second}");
        Assert.Equal(1.0, ordered[0].Speed, 0.1);
        Assert.Equal(1.25, ordered[1].Speed, 0.15);
    }
}
