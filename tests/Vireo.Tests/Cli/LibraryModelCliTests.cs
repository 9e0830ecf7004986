using System.Text.Json;
using Vireo.Cli.Terminal;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cli;

/// <summary>A library's own model: used when no --model is given, and another one refused for its videos.</summary>
public class LibraryModelCliTests
{
    private static async Task<(string Video, string Library, string Model)> IndexedAsync(string name)
    {
        var folder = TestVideos.NewPath(name);
        Directory.CreateDirectory(folder);
        var video = Path.Combine(folder, "red.mp4");
        await PlantedVideos.WriteAsync(video, 5, 20, [PlantedVideos.Targets[0]], 4, 8);
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;
        var library = Path.Combine(folder, "library");
        var (code, _, error) = await CliRunner.RunAsync("index", video, "--library", library, "--model", model);
        Assert.True(code == 0, error);
        return (video, library, model);
    }

    [Fact]
    public async Task Ground_refuses_another_model_for_a_library_video_and_accepts_it_for_other_files()
    {
        var (video, library, _) = await IndexedAsync("ground-other-model");
        var tiny = (await TestModels.TinyHuggingFaceAsync()).Root;
        var outside = TestVideos.NewPath("outside-the-library.mp4");
        File.Copy(await TestVideos.ColorSegments(), outside);

        var (code, output, error) = await CliRunner.RunAsync("ground", video, "red", "--library", library, "--model", tiny);
        var (outsideCode, _, outsideError) = await CliRunner.RunAsync("ground", outside, "red", "--library", library, "--model", tiny);

        Assert.Equal(ExitCodes.InputError, code);
        Assert.Empty(output);
        Assert.Contains("indexed with model", error, StringComparison.Ordinal);
        Assert.True(outsideCode == 0, outsideError);
    }

    [Fact]
    public async Task Index_without_model_uses_the_library_model_even_with_another_registered()
    {
        var (video, library, _) = await IndexedAsync("index-library-model");
        var store = TestVideos.NewPath("store-with-another-model");
        Assert.Equal(0, (await CliRunner.RunAsync("models", "import", (await TestModels.TinyHuggingFaceAsync()).Root, "--models-dir", store)).Code);
        var more = Path.Combine(Path.GetDirectoryName(video)!, "more.mp4");
        File.Copy(await TestVideos.ColorSegments(), more);

        var (code, output, error) = await CliRunner.RunAsync("index", more, "--library", library, "--models-dir", store, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(1, json.RootElement.GetProperty("added").GetInt32());
    }

    [Fact]
    public async Task Index_without_any_model_leaves_no_empty_library_behind()
    {
        var folder = TestVideos.NewPath("index-no-model");
        Directory.CreateDirectory(folder);
        var library = Path.Combine(folder, "library");

        var (code, _, error) = await CliRunner.RunAsync("index", folder, "--library", library, "--models-dir", Path.Combine(folder, "no-models"));

        Assert.True(code == ExitCodes.Environment, error);
        Assert.False(File.Exists(Path.Combine(library, Vireo.Library.VideoLibrary.CatalogFileName)));
    }
}
