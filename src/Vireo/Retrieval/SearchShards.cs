using System.Collections.Concurrent;
using Vireo.Grounding;
using Vireo.Grounding.Trained;
using Vireo.Library;
using Vireo.Models;
using Vireo.Shards;

namespace Vireo.Retrieval;

/// <summary>
/// One shard of a library as a search sees it: the three phases of <see cref="ShardSearch"/> behind calls that can cross
/// a process boundary (plain records in and out), so a coordinator treats a local library and a library on another
/// machine alike. A search is named by its id from its first phase to <see cref="EndAsync"/>.
/// </summary>
public interface ISearchShard : IShard
{
    /// <summary>Phase 1: the coarse stage's best videos and the videos whose text matched.</summary>
    Task<ShardCandidates> CandidatesAsync(ShardQuery query, CancellationToken cancellationToken);

    /// <summary>Phase 2: the fine visual score of the videos chosen across the shards.</summary>
    Task<IReadOnlyList<ScoredVideo>> ScoreAsync(Guid search, IReadOnlyList<long> videoIds, CancellationToken cancellationToken);

    /// <summary>Phase 3: the hits of the videos ranked at the top that are this shard's, in their order.</summary>
    Task<IReadOnlyList<ShardHit>> GroundAsync(Guid search, IReadOnlyList<RankedVideo> ranked, bool fused, CancellationToken cancellationToken);

    /// <summary>Forgets a search's state.</summary>
    Task EndAsync(Guid search);
}

/// <summary>What a shard is asked in phase 1: the search's id, the sentence (null for an embedding query) and its embedding (null when only text is searched), and the query's choices.</summary>
public sealed record ShardQuery(Guid Search, string Label, string? Text, float[]? Embedding, ShardQueryOptions Options);

/// <summary>
/// The choices of one query that a shard applies over its own search options; <paramref name="Grounder"/>: the trained
/// grounder's name (null: zero-shot), which the shard opens itself.
/// </summary>
public sealed record ShardQueryOptions(SearchChannel[] Channels, int TopVideos, int MomentsPerVideo, int TopMoments, int Candidates, string? Grounder = null)
{
    public static ShardQueryOptions Of(SearchOptions options) =>
        new([.. options.Channels.Order()], options.TopVideos, options.MomentsPerVideo, options.TopMoments, options.Candidates, options.TrainedGrounderName);

    /// <summary>The query's choices over <paramref name="options"/>, with <paramref name="grounder"/> (the one named, opened by the shard) as the moment stage.</summary>
    public SearchOptions ApplyTo(SearchOptions options, TrainedGrounder? grounder) =>
        options with
        {
            Channels = Channels.ToHashSet(), TopVideos = TopVideos, MomentsPerVideo = MomentsPerVideo, TopMoments = TopMoments, Candidates = Candidates,
            Grounder = grounder, GrounderName = null,
        };
}

/// <summary>A video of a shard with a score.</summary>
public sealed record ScoredVideo(long VideoId, double Score);

/// <summary>
/// Phase 1's answer: the coarse stage's best videos (best first, with any tied with the last) and the videos whose text
/// matched, with their best text score; <paramref name="Ties"/>: the tie key of each of them.
/// </summary>
public sealed record ShardCandidates(IReadOnlyList<ScoredVideo> Coarse, IReadOnlyList<ScoredVideo> TextMatched, IReadOnlyDictionary<long, VideoTieKey> Ties);

/// <summary>A video in the final order: its shard (index in the coordinator's list), its ranking score and its rescaled visual score (0 when its pictures were not compared).</summary>
public sealed record RankedVideo(int Shard, long VideoId, double Score, double Visual);

/// <summary>What phase 3 gives for one video: its hit, its best moment score (trained grounders rank by it), and its moments for the ranking across the library.</summary>
public sealed record ShardHit(VideoHit Hit, double Best, IReadOnlyList<CorpusMoment> Corpus, IReadOnlyList<FusedMoment> FusedCorpus);

/// <summary>
/// A library on this machine as a search shard. A query's trained grounder is <paramref name="options"/>' own when the
/// names match, else the one of that name in <paramref name="grounders"/> (a silo's model store).
/// </summary>
public sealed class LocalSearchShard(LibraryReader reader, SearchOptions options, SharedGrounders? grounders = null) : ISearchShard
{
    private readonly ConcurrentDictionary<Guid, ShardSearch> _searches = new();
    private readonly ZeroShotGrounder _grounder = new(options.Grounding);

    public string Name => reader.Library.Directory;

    public LibraryReader Reader => reader;

    public async Task<ShardCandidates> CandidatesAsync(ShardQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var search = new ShardSearch(reader, query.Options.ApplyTo(options, Grounder(query.Options.Grounder)), _grounder, query.Text, query.Embedding, query.Label);
        _searches[query.Search] = search;
        return await search.CandidatesAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ScoredVideo>> ScoreAsync(Guid search, IReadOnlyList<long> videoIds, CancellationToken cancellationToken) =>
        Task.Run(() => (IReadOnlyList<ScoredVideo>)Session(search).Score(videoIds, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ShardHit>> GroundAsync(Guid search, IReadOnlyList<RankedVideo> ranked, bool fused, CancellationToken cancellationToken) =>
        Task.Run(() => (IReadOnlyList<ShardHit>)Session(search).Ground(ranked, fused, cancellationToken), cancellationToken);

    public Task EndAsync(Guid search)
    {
        _searches.TryRemove(search, out _);
        return Task.CompletedTask;
    }

    /// <exception cref="ModelNotFoundException">No grounder of that name on this machine.</exception>
    private TrainedGrounder? Grounder(string? name) =>
        name is null ? null
        : options.Grounder is { } own && own.Manifest.Name == name ? own
        : grounders is not null ? grounders.Get(name)
        : throw new ModelNotFoundException(name, $"the trained grounder is not open for the library {Name}");

    private ShardSearch Session(Guid search) =>
        _searches.TryGetValue(search, out var session) ? session : throw new InvalidOperationException($"search {search} has no state on shard {Name} (it was ended or never started)");
}
