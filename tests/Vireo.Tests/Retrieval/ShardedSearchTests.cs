using Vireo.Ingest;
using Vireo.Library;
using Vireo.Models;
using Vireo.Retrieval;
using Vireo.Shards;
using Vireo.Tests.Support;
using Vireo.TimedText;

namespace Vireo.Tests.Retrieval;

/// <summary>
/// A library split into shards answers exactly as one library holding every video: the same videos in the same order
/// with the same scores, moments, saliency and quotes, and the same moments across the library — by the pictures
/// alone, by the pictures and the timed text, and by the text alone.
/// </summary>
public class ShardedSearchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Colours = ["red", "blue", "green", "yellow", "white", "orange", "purple"];

    [Theory]
    [InlineData("a red scene", "visual,subtitles")]
    [InlineData("blue", "visual")]
    [InlineData("a bird of prey soaring over the port", "visual,subtitles")]
    [InlineData("a quiet garden", "subtitles")]
    [InlineData("a green striped pattern", "visual,subtitles")]
    public async Task Three_shards_answer_exactly_as_one_library(string sentence, string channels)
    {
        var (whole, shards, model) = await Libraries.Value;
        var options = new SearchOptions { Channels = SearchChannels.Parse(channels) };
        using var one = new LibrarySearcher(whole, model, options);
        var readers = shards.Select(s => new LibraryReader(s, model)).ToList();
        using var split = new LibrarySearcher(readers, options);

        var expected = await one.SearchAsync(sentence, Ct);
        var actual = await split.SearchAsync(sentence, Ct);

        Assert.NotEmpty(expected.Videos);
        Assert.Equal(Describe(expected), Describe(actual));
        readers.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task Shards_read_with_different_models_are_refused()
    {
        var (_, shards, model) = await Libraries.Value;
        using var other = EmbeddingModel.Load((await TestModels.TinyHuggingFaceAsync()).Root);
        using var first = new LibraryReader(shards[0], model);
        var empty = VideoLibrary.Open(TestVideos.NewPath("empty-shard"));
        using var second = new LibraryReader(empty, other);

        Assert.Throws<ArgumentException>(() => new LibrarySearcher([first, second]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_shard_that_fails_or_misses_the_deadline_is_named_and_the_others_answer(bool hangs)
    {
        var (_, shards, model) = await Libraries.Value;
        var options = new SearchOptions { ShardDeadline = TimeSpan.FromSeconds(2) };
        var readers = shards.Select(s => new LibraryReader(s, model)).ToList();
        var local = readers.Select(r => (ISearchShard)new LocalSearchShard(r, options)).ToList();
        var broken = new BrokenShard("machine-2/shard-b", hangs);
        using var partial = new LibrarySearcher([local[0], broken, local[2]], model, options);
        using var withoutIt = new LibrarySearcher([local[0], local[2]], model, options);

        var answer = await partial.SearchAsync("a red scene", Ct);
        var expected = await withoutIt.SearchAsync("a red scene", Ct);

        Assert.Equal(["machine-2/shard-b"], answer.MissingShards);
        Assert.Empty(expected.MissingShards);
        Assert.Equal(Describe(expected), Describe(answer));
        Assert.DoesNotContain(answer.Videos, v => v.Path.Contains("shard-videos-1", StringComparison.Ordinal));
        readers.ForEach(r => r.Dispose());
    }

    /// <summary>A shard whose machine is gone: every call fails as unavailable, or never returns.</summary>
    private sealed class BrokenShard(string name, bool hangs) : ISearchShard
    {
        public string Name => name;

        public async Task<ShardCandidates> CandidatesAsync(ShardQuery query, CancellationToken cancellationToken)
        {
            if (hangs)
                await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new ShardUnavailableException(name, "connection refused");
        }

        public Task<IReadOnlyList<ScoredVideo>> ScoreAsync(Guid search, IReadOnlyList<long> videoIds, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a missing shard is not called again");

        public Task<IReadOnlyList<ShardHit>> GroundAsync(Guid search, IReadOnlyList<RankedVideo> ranked, bool fused, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a missing shard is not called again");

        public Task EndAsync(Guid search) => throw new InvalidOperationException("a missing shard is not called again");
    }

    /// <summary>Everything an answer says, with paths for ids (each shard numbers its own videos).</summary>
    internal static List<string> Describe(SearchResult result)
    {
        var lines = new List<string>();
        foreach (var hit in result.Videos)
        {
            lines.Add($"video {Path.GetFileName(hit.Path)} {hit.Score:R} {hit.Match.Score:R} channels {string.Join(",", hit.MatchedChannels)}");
            lines.AddRange(hit.Moments.Select(m => $"  moment {m.Start:R}-{m.End:R} {m.Score:R}"));
            lines.Add("  saliency " + string.Join(",", hit.Saliency.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
            lines.AddRange(hit.MatchedText.Select(t => $"  quote {t.Channel} {t.Start:R}-{t.End:R} {t.Score:R} {t.Text}"));
        }
        lines.AddRange(result.Moments.Select(m => $"corpus {Path.GetFileName(m.Path)} {m.Start:R}-{m.End:R} {m.Score:R} {m.GroundingScore:R}"));
        return lines;
    }

    internal static readonly Lazy<Task<(VideoLibrary Whole, VideoLibrary[] Shards, EmbeddingModel Model)>> Libraries = new(BuildAsync);

    /// <summary>Seven colour videos and a grey one with subtitles, indexed once whole and once in three shards.</summary>
    private static async Task<(VideoLibrary, VideoLibrary[], EmbeddingModel)> BuildAsync()
    {
        var folders = Enumerable.Range(0, 3).Select(i => TestVideos.NewPath($"shard-videos-{i}")).ToArray();
        foreach (var folder in folders)
            Directory.CreateDirectory(folder);
        for (var i = 0; i < Colours.Length; i++)
            await ColourVideos.WriteAsync(Path.Combine(folders[i % 3], Colours[i] + ".mp4"), (Colours[i], 8));
        await ColourVideos.WriteAsync(Path.Combine(folders[1], "grey-talk.mp4"), ("gray", 8));
        await File.WriteAllTextAsync(Path.Combine(folders[1], "grey-talk.srt"),
            "1\n00:00:01,000 --> 00:00:04,000\nThe red kite climbs above the harbour.\n\n2\n00:00:05,000 --> 00:00:07,500\nA quiet green garden.\n");
        var model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 2 });
        var options = new IngestOptions { Channels = new HashSet<TextChannel> { TextChannel.Subtitles } };
        var whole = VideoLibrary.Open(TestVideos.NewPath("whole-library"));
        await new LibraryIngest(whole, model, options).RunAsync(folders);
        var shards = new VideoLibrary[3];
        for (var i = 0; i < 3; i++)
        {
            shards[i] = VideoLibrary.Open(TestVideos.NewPath($"shard-library-{i}"));
            await new LibraryIngest(shards[i], model, options).RunAsync([folders[i]]);
        }
        return (whole, shards, model);
    }
}
