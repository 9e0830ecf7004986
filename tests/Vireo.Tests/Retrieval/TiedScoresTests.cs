using Vireo.Ingest;
using Vireo.Library;
using Vireo.Models;
using Vireo.Relocalization;
using Vireo.Retrieval;
using Vireo.Temporal;
using Vireo.Tests.Support;
using Vireo.TimedText;

namespace Vireo.Tests.Retrieval;

/// <summary>
/// Videos whose scores tie exactly (copies of one file under different names) are ordered by path, in one library and
/// in any split of the same videos over shards, whatever order each library indexed them in (so their ids differ):
/// text search (coarse candidates, ranking, corpus moments) and find-clip (coarse candidates, refined and final matches)
/// give the same answer, tied videos included.
/// </summary>
public class TiedScoresTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A query span of the source video: its red, blue, yellow and gray stretches.</summary>
    internal static readonly TemporalWindow QuerySpan = new(3, 15);

    [Theory]
    [InlineData("a red scene", "visual", 50, 10)]
    [InlineData("a red scene", "visual", 2, 2)] // the coarse cut and the top videos fall inside the tied red copies
    [InlineData("the red kite above the harbour", "visual,subtitles", 50, 10)]
    [InlineData("a quiet garden", "subtitles", 50, 10)]
    public async Task Tied_videos_rank_by_path_in_one_library_and_in_every_split(string sentence, string channels, int candidates, int top)
    {
        var libraries = await Libraries.Value;
        var options = new SearchOptions { Channels = SearchChannels.Parse(channels), Candidates = candidates, TopVideos = top };
        using var one = new LibrarySearcher(libraries.Whole, libraries.Model, options);

        var expected = await one.SearchAsync(sentence, Ct);

        AssertTiedInPathOrder(expected.Videos.Select(v => (v.Path, v.Score)).ToList(), channels == "visual" ? "red-" : "talk-");
        foreach (var split in libraries.Splits)
        {
            var readers = split.Select(s => new LibraryReader(s, libraries.Model)).ToList();
            using var searcher = new LibrarySearcher(readers, options);
            var actual = await searcher.SearchAsync(sentence, Ct);
            Assert.Equal(ShardedSearchTests.Describe(expected), ShardedSearchTests.Describe(actual));
            readers.ForEach(r => r.Dispose());
        }
    }

    [Theory]
    [InlineData(50, 10, 10)]
    [InlineData(50, 2, 2)] // the refinements and the final cut fall inside the tied source copies
    [InlineData(8, 10, 10)] // the coarse cut (9 videos) leaves out one of the tied copies
    public async Task Tied_clip_matches_rank_by_path_in_one_library_and_in_every_split(int candidates, int refinements, int top)
    {
        var libraries = await Libraries.Value;
        var options = new RelocalizationOptions { MinScore = 0.5, Candidates = candidates, MaxRefinements = refinements, TopK = top };
        using var one = new Relocalizer(libraries.Whole, libraries.Model, options);

        var expected = await one.FindAsync(libraries.Query, QuerySpan, Ct);

        AssertTiedInPathOrder(expected.Matches.Select(m => (m.Path, m.Score)).ToList(), "source-");
        foreach (var split in libraries.Splits)
        {
            var readers = split.Select(s => new LibraryReader(s, libraries.Model)).ToList();
            using var relocalizer = new Relocalizer([.. readers.Select(r => new LocalClipShard(r))], libraries.Model, libraries.Whole.Settings!.ClipLength, options);
            var actual = await relocalizer.FindAsync(libraries.Query, QuerySpan, Ct);
            Assert.Equal(Describe(expected), Describe(actual));
            readers.ForEach(r => r.Dispose());
        }
    }

    /// <summary>At least two copies named <paramref name="prefix"/>… are in the answer, with one score, in path order.</summary>
    private static void AssertTiedInPathOrder(List<(string Path, double Score)> answer, string prefix)
    {
        var copies = answer.Where(a => Path.GetFileName(a.Path).StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.True(copies.Count >= 2, $"two copies of {prefix}… tie in the answer: {string.Join(", ", answer.Select(a => Path.GetFileName(a.Path)))}");
        Assert.Single(copies.Select(c => c.Score).Distinct());
        Assert.Equal(copies.Select(c => c.Path).Order(StringComparer.Ordinal), copies.Select(c => c.Path));
    }

    internal static List<string> Describe(RelocalizationResult result) =>
        [.. result.Matches.Select(m => $"{Path.GetFileName(m.Path)} {m.Start:R}-{m.End:R} {m.Score:R} {m.Speed:R} {m.Refined}")];

    internal sealed record TiedLibraries(VideoLibrary Whole, VideoLibrary[][] Splits, EmbeddingModel Model, string Query);

    internal static readonly Lazy<Task<TiedLibraries>> Libraries = new(BuildAsync);

    /// <summary>
    /// Three copies of a red video, three of a video of colour stretches, two of a grey video with the same subtitles,
    /// and a green video; indexed into one library (in reverse name order) and split over two and over three shards,
    /// each shard indexing its videos in another order.
    /// </summary>
    private static async Task<TiedLibraries> BuildAsync()
    {
        var folder = TestVideos.NewPath("tied-videos");
        Directory.CreateDirectory(folder);
        var source = Path.Combine(folder, "source-a.mp4");
        await ColourVideos.WriteAsync(source, ("green", 3), ("red", 3), ("blue", 3), ("yellow", 3), ("gray", 3), ("purple", 3), ("white", 3));
        await ColourVideos.WriteAsync(Path.Combine(folder, "red-1.mp4"), ("red", 6));
        await ColourVideos.WriteAsync(Path.Combine(folder, "talk-1.mp4"), ("gray", 8));
        await ColourVideos.WriteAsync(Path.Combine(folder, "green.mp4"), ("green", 6));
        await File.WriteAllTextAsync(Path.Combine(folder, "talk-1.srt"),
            "1\n00:00:01,000 --> 00:00:04,000\nThe red kite climbs above the harbour.\n\n2\n00:00:05,000 --> 00:00:07,500\nA quiet green garden.\n");
        foreach (var (original, copies) in new[] { ("source-a", new[] { "source-b", "source-c" }), ("red-1", ["red-2", "red-3"]), ("talk-1", ["talk-2"]) })
        {
            foreach (var copy in copies)
                File.Copy(Path.Combine(folder, original + ".mp4"), Path.Combine(folder, copy + ".mp4"));
        }
        File.Copy(Path.Combine(folder, "talk-1.srt"), Path.Combine(folder, "talk-2.srt"));
        var query = TestVideos.NewPath("tied-query.mp4");
        File.Copy(source, query);

        var model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 2 });
        string[] all = ["green", "red-1", "red-2", "red-3", "source-a", "source-b", "source-c", "talk-1", "talk-2"];
        var whole = await IndexAsync("tied-whole", folder, model, [.. all.Reverse()]);
        string[][] two = [["source-c", "red-2", "talk-1", "green"], ["red-3", "source-a", "talk-2", "red-1", "source-b"]];
        string[][] three = [["talk-2", "red-1", "source-b"], ["source-c", "green", "red-3"], ["red-2", "source-a", "talk-1"]];
        var splits = new List<VideoLibrary[]>();
        foreach (var split in new[] { two, three })
        {
            var shards = new List<VideoLibrary>();
            for (var i = 0; i < split.Length; i++)
                shards.Add(await IndexAsync($"tied-shard-{split.Length}-{i}", folder, model, split[i]));
            splits.Add([.. shards]);
        }
        return new TiedLibraries(whole, [.. splits], model, query);
    }

    /// <summary>A library of <paramref name="names"/>, indexed one at a time in that order (so ids follow it).</summary>
    private static async Task<VideoLibrary> IndexAsync(string name, string folder, EmbeddingModel model, string[] names)
    {
        var library = VideoLibrary.Open(TestVideos.NewPath(name));
        var ingest = new LibraryIngest(library, model, new IngestOptions { Channels = new HashSet<TextChannel> { TextChannel.Subtitles } });
        foreach (var video in names)
            await ingest.RunAsync([Path.Combine(folder, video + ".mp4")]);
        return library;
    }
}
