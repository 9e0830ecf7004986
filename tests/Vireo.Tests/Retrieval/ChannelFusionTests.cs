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
/// video whose subtitles say the sentence, in its words or in others, against solid-colour videos that only look like
/// it. The sweep's table is written to the test output (and docs/architecture.md); the defaults must pass every case,
/// and the moment found must be the subtitle's span.
/// </summary>
public class ChannelFusionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>(query, the file that must rank first, the subtitle span its best moment must find (or none), why).</summary>
    private static readonly (string Query, string Expected, (double Start, double End)? Span, string Case)[] Cases =
    [
        ("a red kite climbs above the harbour", "grey-talk.mp4", (1, 4), "says all of it / red.mp4 looks like it"),
        ("a quiet garden", "grey-talk.mp4", (5, 7.5), "says all of it / nothing looks like it"),
        ("a bird of prey soaring over the port", "grey-talk.mp4", (1, 4), "says it in other words / nothing looks like it"),
        ("a red bird rising over the docks", "grey-talk.mp4", (1, 4), "says it in other words / red.mp4 looks like it"),
        ("a peaceful backyard", "grey-talk.mp4", (5, 7.5), "says it in other words / nothing looks like it"),
        ("a red scene", "red.mp4", null, "says half of it / red.mp4 looks like it"),
        ("a green striped pattern", "green.mp4", null, "says a third of it / green.mp4 looks like it"),
        ("a blue bird", "blue.mp4", null, "says something related / blue.mp4 looks like it"),
        ("a yellow field of flowers", "yellow.mp4", null, "says something related / yellow.mp4 looks like it"),
        ("blue", "blue.mp4", null, "says nothing / blue.mp4 looks like it"),
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
        var table = new List<string> { "lexical | exponent | semantic | floor | ceiling | cases passed | failed" };
        foreach (var exponent in new[] { 1.0, 2.0 })
        {
            foreach (var weight in new[] { 0.75, 1.5, 3.0 })
                table.Add(await SweepRowAsync(library, model, new ChannelFusion { Lexical = weight, CoverageExponent = exponent, Semantic = 0 }));
        }
        foreach (var (floor, ceiling) in new[] { (0.2, 0.6), (0.25, 0.6), (0.3, 0.5), (0.3, 0.6), (0.3, 0.7), (0.3, 0.8), (0.35, 0.6), (0.4, 0.6), (0.4, 0.8) })
        {
            foreach (var semantic in new[] { 0.75, 1.0, 1.5, 2.0, 3.0 })
                table.Add(await SweepRowAsync(library, model, new ChannelFusion { Semantic = semantic, SemanticFloor = floor, SemanticCeiling = ceiling }));
        }
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", table));

        Assert.Empty(await FailedCasesAsync(library, model, ChannelFusion.Default));
    }

    private static async Task<string> SweepRowAsync(VideoLibrary library, EmbeddingModel model, ChannelFusion fusion)
    {
        var failed = await FailedCasesAsync(library, model, fusion);
        return string.Create(CultureInfo.InvariantCulture,
            $"{fusion.Lexical} | {fusion.CoverageExponent} | {fusion.Semantic} | {fusion.SemanticFloor} | {fusion.SemanticCeiling} | {Cases.Length - failed.Count}/{Cases.Length} | {string.Join("; ", failed)}");
    }

    private static async Task<List<string>> FailedCasesAsync(VideoLibrary library, EmbeddingModel model, ChannelFusion fusion)
    {
        using var searcher = new LibrarySearcher(library, model, new SearchOptions { Fusion = fusion });
        var failed = new List<string>();
        foreach (var (query, expected, span, name) in Cases)
        {
            SearchResult result;
            try
            {
                result = await searcher.SearchAsync(query, Ct);
            }
            catch (Vireo.Errors.UsageException)
            {
                failed.Add($"{name} (refused: no word known, no text matched)");
                continue;
            }
            var top = result.Videos[0];
            if (Path.GetFileName(top.Path) != expected)
                failed.Add($"{name} (got {Path.GetFileName(top.Path)})");
            else if (span is { } planted && (top.Moments.Count == 0 || Iou(top.Moments[0].Start, top.Moments[0].End, planted) < 0.7))
                failed.Add($"{name} (moment {(top.Moments.Count == 0 ? "none" : $"{top.Moments[0].Start:0.#}-{top.Moments[0].End:0.#}")})");
        }
        return failed;
    }

    private static double Iou(double start, double end, (double Start, double End) planted)
    {
        var shared = Math.Max(0, Math.Min(end, planted.End) - Math.Max(start, planted.Start));
        return shared / (Math.Max(end, planted.End) - Math.Min(start, planted.Start));
    }
}
