using System.Globalization;
using Vireo.Embedding;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.Models;
using Vireo.Retrieval;
using Vireo.Tests.Support;
using Vireo.TimedText;

namespace Vireo.Tests.Retrieval;

/// <summary>
/// The fusion weights measured on planted cases with the concept model (whose visual scores are real for colours): a grey
/// video whose subtitles say the sentence against solid-colour videos that only look like it. The sweep's table is
/// written to the test output (and docs/architecture.md); the defaults must pass every case.
/// </summary>
public class ChannelFusionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>(query, the file that must rank first, why).</summary>
    private static readonly (string Query, string Expected, string Case)[] Cases =
    [
        ("a red kite climbs above the harbour", "grey-talk.mp4", "says all of it / red.mp4 looks like it"),
        ("a quiet garden", "grey-talk.mp4", "says all of it / nothing looks like it"),
        ("a red scene", "red.mp4", "says half of it / red.mp4 looks like it"),
        ("a green striped pattern", "green.mp4", "says a third of it / green.mp4 looks like it"),
        ("blue", "blue.mp4", "says nothing / blue.mp4 looks like it"),
    ];

    private static async Task<(VideoLibrary Library, EmbeddingModel Model)> PlantedLibraryAsync()
    {
        var folder = TestVideos.NewPath("fusion-videos");
        Directory.CreateDirectory(folder);
        foreach (var colour in new[] { "red", "blue", "green", "yellow" })
            await ColourVideos.WriteAsync(Path.Combine(folder, colour + ".mp4"), (colour, 8));
        await ColourVideos.WriteAsync(Path.Combine(folder, "grey-talk.mp4"), ("gray", 8));
        await File.WriteAllTextAsync(Path.Combine(folder, "grey-talk.srt"),
            "1\n00:00:01,000 --> 00:00:04,000\nThe red kite climbs above the harbour.\n\n2\n00:00:05,000 --> 00:00:07,500\nA quiet green garden.\n", Ct);
        var model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 2 });
        var library = VideoLibrary.Open(TestVideos.NewPath("fusion-library"));
        await new LibraryIngest(library, model, new IngestOptions { Channels = new HashSet<TextChannel> { TextChannel.Subtitles } }).RunAsync([folder], cancellationToken: Ct);
        return (library, model);
    }

    [Fact]
    public async Task The_default_weights_pass_every_planted_case_and_the_sweep_is_reported()
    {
        var (library, model) = await PlantedLibraryAsync();
        using var _ = model;
        var table = new List<string> { "text weight | exponent | cases passed | failed" };
        foreach (var exponent in new[] { 1.0, 2.0 })
        {
            foreach (var weight in new[] { 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0 })
            {
                var failed = await FailedCasesAsync(library, model, new ChannelFusion { Text = weight, CoverageExponent = exponent });
                table.Add(string.Create(CultureInfo.InvariantCulture, $"{weight} | {exponent} | {Cases.Length - failed.Count}/{Cases.Length} | {string.Join("; ", failed)}"));
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", table));

        Assert.Empty(await FailedCasesAsync(library, model, ChannelFusion.Default));
    }

    private static async Task<List<string>> FailedCasesAsync(VideoLibrary library, EmbeddingModel model, ChannelFusion fusion)
    {
        using var searcher = new LibrarySearcher(library, model, new SearchOptions { Fusion = fusion });
        var failed = new List<string>();
        foreach (var (query, expected, name) in Cases)
        {
            var result = await searcher.SearchAsync(query, Ct);
            if (Path.GetFileName(result.Videos[0].Path) != expected)
                failed.Add($"{name} (got {Path.GetFileName(result.Videos[0].Path)})");
        }
        return failed;
    }
}
