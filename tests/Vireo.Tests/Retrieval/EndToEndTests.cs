using System.Text.Json;
using Vireo.Cli;
using Vireo.Grounding;
using Vireo.Tests.Support;
using Vireo.Temporal;
using Vireo.Cli.Terminal;

namespace Vireo.Tests.Retrieval;

/// <summary>
/// The main job end to end, through the real pipeline (FFmpeg, ONNX Runtime, the CLI): generated videos with
/// planted colour moments are indexed with the concept model, then grounded and searched by sentence.
/// </summary>
public class EndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(string Library, List<PlantedMoment> Planted)> IndexAsync(string name, Func<string, Task<List<PlantedMoment>>> make)
    {
        var folder = TestVideos.NewPath(name);
        Directory.CreateDirectory(folder);
        var planted = await make(folder);
        var library = Path.Combine(folder, "library");
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;
        var (code, _, error) = await Cli("index", folder, "--library", library, "--model", model);
        Assert.True(code == 0, error);
        return (library, planted);
    }

    private static async Task<(int Code, string Out, string Error)> Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await VireoCli.InvokeAsync(args, new CliConsole(output, error, interactive: false), Ct);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Vireo_ground_finds_planted_moments_in_three_minute_videos()
    {
        // 12 videos of 3 minutes, 5 colours planted in each (6 to 30 s long): 60 queries.
        var (library, planted) = await IndexAsync("ground-e2e", async folder =>
        {
            var all = new List<PlantedMoment>();
            for (var v = 0; v < 12; v++)
            {
                var random = new Random(100 + v);
                var targets = PlantedVideos.Targets.OrderBy(_ => random.Next()).Take(5).ToList();
                all.AddRange(await PlantedVideos.WriteAsync(Path.Combine(folder, $"video{v:D2}.mp4"), 200 + v, 180, targets, 6, 30));
            }
            return all;
        });
        Assert.Equal(60, planted.Count);

        var hits = 0;
        var misses = new List<string>();
        foreach (var moment in planted)
        {
            var sentence = $"the {moment.Colour} part";
            var (code, output, error) = await Cli("ground", moment.Video, sentence, "--library", library, "--json");
            Assert.True(code == 0, error);
            using var json = JsonDocument.Parse(output);
            var top = json.RootElement.GetProperty("pred_relevant_windows")[0];
            var predicted = new TemporalWindow(top[0].GetDouble(), top[1].GetDouble());
            var iou = predicted.IoU(new TemporalWindow(moment.Start, moment.End));
            if (iou >= 0.5)
                hits++;
            else
                misses.Add($"{Path.GetFileName(moment.Video)} {moment.Colour} [{moment.Start}, {moment.End}] -> [{predicted.Start}, {predicted.End}]");
            Assert.Equal(90, json.RootElement.GetProperty("pred_saliency_scores").GetArrayLength());
        }
        var recall = hits / (double)planted.Count;
        TestContext.Current.TestOutputHelper?.WriteLine($"R1@0.5 = {hits}/{planted.Count} = {recall:0.000}");
        Assert.True(recall >= 0.9, $"R1@0.5 = {recall:0.000}; misses: {string.Join("; ", misses)}");
    }

    [Fact]
    public async Task Vireo_search_ranks_the_video_with_the_colour_first_and_finds_its_moment()
    {
        // Six 2-minute videos, each with one target colour no other video has, among background stretches.
        var (library, planted) = await IndexAsync("search-e2e", async folder =>
        {
            var all = new List<PlantedMoment>();
            for (var v = 0; v < PlantedVideos.Targets.Length; v++)
                all.AddRange(await PlantedVideos.WriteAsync(Path.Combine(folder, $"only-{PlantedVideos.Targets[v].Word}.mp4"), 300 + v, 120, [PlantedVideos.Targets[v]], 8, 40));
            return all;
        });

        foreach (var moment in planted)
        {
            var (code, output, error) = await Cli("search", $"a {moment.Colour} scene", "--library", library, "--top", "3", "--json");
            Assert.True(code == 0, error);
            using var json = JsonDocument.Parse(output);
            var first = json.RootElement.GetProperty("results")[0];
            Assert.Equal(moment.Video, first.GetProperty("vid").GetString());
            var window = first.GetProperty("pred_relevant_windows")[0];
            Assert.True(new TemporalWindow(window[0].GetDouble(), window[1].GetDouble()).IoU(new TemporalWindow(moment.Start, moment.End)) >= 0.5,
                $"{moment.Colour}: [{window[0]}, {window[1]}] vs [{moment.Start}, {moment.End}]");
            var corpus = json.RootElement.GetProperty("moments")[0];
            Assert.Equal(moment.Video, corpus.GetProperty("vid").GetString());
        }
    }

    [Fact]
    public async Task Search_reports_an_empty_library_and_bad_queries_clearly()
    {
        var (library, _) = await IndexAsync("search-errors", async folder =>
            await PlantedVideos.WriteAsync(Path.Combine(folder, "one.mp4"), 1, 20, [PlantedVideos.Targets[0]], 4, 8));

        var (emptyQuery, _, emptyError) = await Cli("search", "   ", "--library", library);
        Assert.Equal(ExitCodes.Usage, emptyQuery);
        Assert.Contains("query is empty", emptyError, StringComparison.Ordinal);
        var (longQuery, _, longError) = await Cli("search", new string('x', 5000), "--library", library);
        Assert.Equal(ExitCodes.Usage, longQuery);
        Assert.Contains("5000 characters", longError, StringComparison.Ordinal);
        var (noLibrary, _, noLibraryError) = await Cli("search", "red", "--library", TestVideos.NewPath("nothing-here"));
        Assert.Equal(ExitCodes.InputError, noLibrary);
        Assert.Contains("no Vireo library here", noLibraryError, StringComparison.Ordinal);

        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;
        var emptyLibrary = TestVideos.NewPath("empty-library");
        var emptyFolder = TestVideos.NewPath("no-videos");
        Directory.CreateDirectory(emptyFolder);
        Assert.Equal(0, (await Cli("index", emptyFolder, "--library", emptyLibrary, "--model", model)).Code);
        var (code, output, _) = await Cli("search", "red", "--library", emptyLibrary, "--model", model, "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(0, json.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Ground_works_on_a_video_outside_the_library()
    {
        var video = TestVideos.NewPath("outside.mp4");
        var planted = (await PlantedVideos.WriteAsync(video, 9, 60, [PlantedVideos.Targets[2]], 10, 20)).Single();
        var model = (await TestModels.ConceptHuggingFaceAsync()).Root;

        var (code, output, error) = await Cli("ground", video, "blue", "--model", model, "--library", TestVideos.NewPath("no-library"), "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var top = json.RootElement.GetProperty("pred_relevant_windows")[0];
        Assert.True(new TemporalWindow(top[0].GetDouble(), top[1].GetDouble()).IoU(new TemporalWindow(planted.Start, planted.End)) >= 0.5);
        Assert.Equal("blue", json.RootElement.GetProperty("query").GetString());
    }
}
