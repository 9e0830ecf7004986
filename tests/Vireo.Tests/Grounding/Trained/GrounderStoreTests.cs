using System.Text.Json.Nodes;
using Vireo.Grounding.Trained;
using Vireo.Models;
using Vireo.Tests.Support;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>The grounder folders of the model store: replacing, listing, and manifests edited by hand.</summary>
public class GrounderStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replacing_a_grounder_keeps_one_folder_and_unfinished_imports_are_not_listed()
    {
        using var folder = new TempFolder();
        var store = new GrounderStore(folder.Path);
        await GrounderImport.ImportAsync(store, TrainedFixtures.Checkpoint("moment_detr"), "m", cancellationToken: Ct);
        await Assert.ThrowsAsync<Vireo.Errors.ConflictException>(() => GrounderImport.ImportAsync(store, TrainedFixtures.Checkpoint("moment_detr"), "m", cancellationToken: Ct));
        var abandoned = Path.Combine(store.Directory, ".m.importing-0123456789abcdef");
        Directory.CreateDirectory(abandoned);
        File.Copy(Path.Combine(store.Directory, "m", GrounderManifest.FileName), Path.Combine(abandoned, GrounderManifest.FileName));

        await GrounderImport.ImportAsync(store, TrainedFixtures.Checkpoint("moment_detr"), "m", replace: true, cancellationToken: Ct);

        Assert.Equal(["m"], store.List().Select(g => g.Name));
        Assert.Equal(["m"], Directory.GetDirectories(store.Directory).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')));
        using var grounder = store.Open("m", intraOpThreads: 1);
        Assert.Equal(75, grounder.Config.MaxVideoClips);
    }

    [Theory]
    [InlineData("max_video_clips", 0, "max_video_clips, queries and max_text_tokens must be at least 1")]
    [InlineData("video_dim", 768, "does not make config.video_dim 768")]
    public async Task A_manifest_edited_into_inconsistency_is_refused_naming_the_fields(string field, int value, string problem)
    {
        using var folder = new TempFolder();
        var store = new GrounderStore(folder.Path);
        await GrounderImport.ImportAsync(store, TrainedFixtures.Checkpoint("moment_detr"), "m", cancellationToken: Ct);
        var path = Path.Combine(store.Directory, "m", GrounderManifest.FileName);
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(path, Ct))!;
        manifest["config"]![field] = value;
        await File.WriteAllTextAsync(path, manifest.ToJsonString(), Ct);

        var error = Assert.Throws<ModelFileException>(() => store.Open("m"));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Empty(store.List());   // listed only when it can be opened
    }

    [Fact]
    public void Features_of_the_wrong_width_are_refused_instead_of_read_misaligned()
    {
        var grounder = ImportedGrounders.Get("moment_detr");
        var error = Assert.Throws<ArgumentException>(() => grounder.Predict(new float[10 * 768], 10, new float[5 * 512], 5));
        Assert.Contains("not 10 clips of 512", error.Message, StringComparison.Ordinal);
    }
}
