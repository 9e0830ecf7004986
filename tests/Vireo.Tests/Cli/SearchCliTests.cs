using System.Text.Json;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cli;

/// <summary>Search's "no match" rule: a video in which nothing stands out for the sentence has no moments.</summary>
public class SearchCliTests
{
    [Fact]
    public async Task A_video_where_nothing_matches_has_no_moments_and_says_no_match()
    {
        var folder = TestVideos.NewPath("search-no-match");
        Directory.CreateDirectory(folder);
        await PlantedVideos.WriteAsync(Path.Combine(folder, "has-red.mp4"), 1, 30, [PlantedVideos.Targets[0]], 8, 12);
        await PlantedVideos.WriteAsync(Path.Combine(folder, "has-blue.mp4"), 2, 30, [PlantedVideos.Targets[2]], 8, 12);
        var library = Path.Combine(folder, "library");
        Assert.Equal(0, (await CliRunner.RunAsync("index", folder, "--library", library, "--model", (await TestModels.ConceptHuggingFaceAsync()).Root)).Code);

        var (code, output, error) = await CliRunner.RunAsync("search", "red", "--library", library, "--json");
        var (textCode, text, _) = await CliRunner.RunAsync("search", "red", "--library", library);

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        var red = results.Single(r => r.GetProperty("vid").GetString()!.EndsWith("has-red.mp4", StringComparison.Ordinal));
        var blue = results.Single(r => r.GetProperty("vid").GetString()!.EndsWith("has-blue.mp4", StringComparison.Ordinal));
        Assert.NotEqual(0, red.GetProperty("pred_relevant_windows").GetArrayLength());
        Assert.Equal(0, blue.GetProperty("pred_relevant_windows").GetArrayLength());
        Assert.Equal(red.GetProperty("pred_saliency_scores").GetArrayLength(), blue.GetProperty("pred_saliency_scores").GetArrayLength());
        Assert.All(json.RootElement.GetProperty("moments").EnumerateArray(), m => Assert.EndsWith("has-red.mp4", m.GetProperty("vid").GetString(), StringComparison.Ordinal));
        Assert.Equal(0, textCode);
        Assert.Contains(text.Split('\n'), l => l.Contains("has-blue.mp4", StringComparison.Ordinal) && l.Contains("no match", StringComparison.Ordinal));
        Assert.DoesNotContain("-0.000", text, StringComparison.Ordinal);
    }
}
