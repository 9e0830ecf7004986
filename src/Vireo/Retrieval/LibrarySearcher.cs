using System.Diagnostics;
using Vireo.Errors;
using Vireo.Grounding;
using Vireo.Grounding.Events;
using Vireo.Grounding.Trained;
using Vireo.Library;
using Vireo.Models;
using Vireo.Shards;
using Vireo.Vectors;
using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Retrieval;

/// <summary>
/// Searches a library by text, coarse to fine (ProST's idea): the sentence is encoded once; every video's
/// mean-pooled and event vectors narrow the library to candidates; the candidates' clips give the final video
/// score (<see cref="VideoScore"/>); the best videos are grounded zero-shot (moments and saliency), and their
/// moments are ranked together across the library. A library split into shards (several libraries of one model) is
/// searched as one: each shard runs its part of every stage (<see cref="ShardSearch"/>) and the choices that span the
/// library (which coarse candidates, the visual scores' range, the final order) are made here over all of them, so
/// the answer equals that of one library holding every video. Safe to use from several threads; it picks up videos
/// indexed while it lives (the library's generation is checked on every search).
/// </summary>
public sealed class LibrarySearcher : IDisposable
{
    private readonly IReadOnlyList<ISearchShard> _shards;
    private readonly IReadOnlyList<LibraryReader> _ownedReaders;
    private readonly EmbeddingModel _model;

    /// <exception cref="ModelMismatchException">The library was indexed with another model.</exception>
    public LibrarySearcher(VideoLibrary library, EmbeddingModel model, SearchOptions? options = null)
        : this([new LibraryReader(library, model)], options, ownsReaders: true)
    {
    }

    /// <summary>A searcher over a shared reader (which the caller disposes).</summary>
    public LibrarySearcher(LibraryReader reader, SearchOptions? options = null)
        : this([reader], options, ownsReaders: false)
    {
    }

    /// <summary>A searcher over the shards of one library on this machine (readers of one model, which the caller disposes).</summary>
    /// <exception cref="ArgumentException">No shard, or shards read with different models.</exception>
    public LibrarySearcher(IReadOnlyList<LibraryReader> shards, SearchOptions? options = null)
        : this(shards, options, ownsReaders: false)
    {
    }

    /// <summary>
    /// A searcher over shards anywhere (a cluster's): <paramref name="model"/> encodes the sentence; each shard must hold
    /// videos of that model. A shard that fails or does not answer within <see cref="SearchOptions.ShardDeadline"/> is
    /// named in <see cref="SearchResult.MissingShards"/> and the answer is made from the others.
    /// </summary>
    public LibrarySearcher(IReadOnlyList<ISearchShard> shards, EmbeddingModel model, SearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(model);
        if (shards.Count == 0)
            throw new ArgumentException("search at least one shard", nameof(shards));
        Options = options ?? new SearchOptions();
        Options.Validate();
        (_shards, _ownedReaders, _model) = (shards, [], model);
    }

    private LibrarySearcher(IReadOnlyList<LibraryReader> readers, SearchOptions? options, bool ownsReaders)
    {
        ArgumentNullException.ThrowIfNull(readers);
        if (readers.Count == 0)
            throw new ArgumentException("search at least one library", nameof(readers));
        if (readers.Any(r => !r.Model.Identity.IsCompatibleWith(readers[0].Model.Identity)))
            throw new ArgumentException("the shards of one search must be read with one model", nameof(readers));
        Options = options ?? new SearchOptions();
        Options.Validate();
        _shards = [.. readers.Select(r => new LocalSearchShard(r, Options))];
        (_ownedReaders, _model) = (ownsReaders ? readers : [], readers[0].Model);
    }

    public SearchOptions Options { get; }

    /// <summary>Ranks the library's videos and moments for <paramref name="query"/>.</summary>
    /// <exception cref="UsageException">The query is empty or longer than <see cref="SearchOptions.MaxQueryLength"/>.</exception>
    public Task<SearchResult> SearchAsync(string query, CancellationToken cancellationToken = default)
    {
        var text = ValidateQuery(query, Options.MaxQueryLength);
        var watch = Stopwatch.StartNew();
        var embedding = Options.Channels.Contains(SearchChannel.Visual) ? EncodeForPictures(text) : null;
        var encoded = watch.Elapsed.TotalMilliseconds;
        return SearchAsync(text, text, embedding, watch, encoded, cancellationToken);
    }

    /// <summary>
    /// The sentence's embedding, or null when the model knows none of its words and text channels are searched too (the
    /// words may still match); with the pictures alone such a sentence is refused.
    /// </summary>
    /// <exception cref="UsageException">The model knows none of the words and only the pictures are searched.</exception>
    private float[]? EncodeForPictures(string text)
    {
        if (SearchChannels.TextChannels(Options.Channels).Count == 0)
            return _model.Text.EncodeQuery(text);
        var embedding = _model.Text.Encode(text);
        return System.Numerics.Tensors.TensorPrimitives.SumOfSquares<float>(embedding) > 0 ? embedding : null;
    }

    /// <summary>Ranks the library for an already encoded (unit-length) query embedding: the pictures only (there are no words to match).</summary>
    public Task<SearchResult> SearchAsync(string label, float[] queryEmbedding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queryEmbedding);
        if (queryEmbedding.Length != _model.Dimension)
            throw new ArgumentException($"the query has {queryEmbedding.Length} dimensions, the library {_model.Dimension}", nameof(queryEmbedding));
        return SearchAsync(label, null, queryEmbedding, Stopwatch.StartNew(), 0, cancellationToken);
    }

    /// <summary>Trims a query and checks it is neither empty nor too long.</summary>
    /// <exception cref="UsageException">The query is empty or too long.</exception>
    public static string ValidateQuery(string? query, int maxLength)
    {
        var text = query?.Trim() ?? "";
        if (text.Length == 0)
            throw new UsageException("the query is empty: say what to look for");
        if (text.Length > maxLength)
            throw new UsageException($"the query has {text.Length} characters; at most {maxLength} are accepted");
        return text;
    }

    private async Task<SearchResult> SearchAsync(string label, string? text, float[]? query, Stopwatch watch, double encoded, CancellationToken cancellationToken)
    {
        var search = Guid.NewGuid();
        var missing = new List<string>();
        var live = new ShardCalls<ISearchShard>(_shards, Options.ShardDeadline, missing);
        try
        {
            return await SearchAsync(search, live, label, text, query, watch, encoded, cancellationToken).ConfigureAwait(false) with { MissingShards = missing };
        }
        finally
        {
            await live.EndAsync(shard => shard.EndAsync(search)).ConfigureAwait(false);
        }
    }

    private async Task<SearchResult> SearchAsync(Guid search, ShardCalls<ISearchShard> shards, string label, string? text, float[]? query, Stopwatch watch, double encoded,
        CancellationToken cancellationToken)
    {
        // Phase 1: each shard's text matches (words and meaning) and its coarse stage's best videos.
        var request = new ShardQuery(search, label, text, query, ShardQueryOptions.Of(Options));
        var found = await shards.AllAsync((shard, _, ct) => shard.CandidatesAsync(request, ct), cancellationToken).ConfigureAwait(false);
        var ties = new VideoTies();
        for (var i = 0; i < found.Length; i++)
            ties.Add(i, found[i]?.Ties);
        var fused = found.Any(f => f is { TextMatched.Count: > 0 });
        if (query is null && !fused && Options.Channels.Contains(SearchChannel.Visual))
            _model.Text.EncodeQuery(label); // the model knows none of the words and no text matched: refused as a visual search is
        var afterCoarse = watch.Elapsed.TotalMilliseconds;

        // Phase 2: the best coarse candidates across the shards, and every video whose text matched, are compared by
        // their clips (each shard its own videos, the shards in parallel).
        var scored = new List<(int Shard, ScoredVideo Video)>();
        if (query is not null)
        {
            var chosen = ChooseCandidates(found, ties);
            var perShard = await shards.AllAsync((shard, index, ct) => chosen[index].Count == 0
                ? Task.FromResult<IReadOnlyList<ScoredVideo>>([])
                : shard.ScoreAsync(search, chosen[index], ct), cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < perShard.Length; i++)
                scored.AddRange((perShard[i] ?? []).Select(v => (i, v)));
            scored.Sort((a, b) => b.Video.Score != a.Video.Score ? b.Video.Score.CompareTo(a.Video.Score) : ties.Compare(a.Shard, a.Video.VideoId, b.Shard, b.Video.VideoId));
        }
        var afterFine = watch.Elapsed.TotalMilliseconds;

        // Phase 3: the best videos of the global ranking grounded by their shards, merged back in ranking order.
        var ranking = Rank(scored, found, fused, ties);
        var top = ranking.Take(Options.TopVideos).ToList();
        var grounded = await shards.AllAsync((shard, index, ct) =>
        {
            var mine = top.Where(r => r.Shard == index).ToList();
            return mine.Count == 0 ? Task.FromResult<IReadOnlyList<ShardHit>>([]) : shard.GroundAsync(search, mine, fused, ct);
        }, cancellationToken).ConfigureAwait(false);
        var byVideo = new Dictionary<(int, long), ShardHit>();
        for (var i = 0; i < grounded.Length; i++)
        {
            foreach (var hit in grounded[i] ?? [])
                byVideo[(i, hit.Hit.VideoId)] = Named(hit, _shards[i].Name);
        }
        var ordered = new List<(int Shard, ShardHit Hit)>(top.Count);
        foreach (var ranked in top)
        {
            if (byVideo.TryGetValue((ranked.Shard, ranked.VideoId), out var hit))
                ordered.Add((ranked.Shard, hit));
        }
        if (!fused && query is not null && Options.TrainedGrounderName is not null)
            ordered = [.. ordered.OrderByDescending(h => h.Hit.Best).ThenByDescending(h => h.Hit.Hit.Score)]; // stable: ties keep the ranking's order
        var corpus = fused ? CorpusRanking.Fused(ordered, ties) : CorpusRanking.Visual(ordered, ties);
        if (corpus.Count > Options.TopMoments)
            corpus.RemoveRange(Options.TopMoments, corpus.Count - Options.TopMoments);
        var total = watch.Elapsed.TotalMilliseconds;
        return new SearchResult(label, [.. ordered.Select(h => h.Hit.Hit)], corpus, new SearchTimings(encoded, afterCoarse - encoded, afterFine - afterCoarse, total - afterFine, total));
    }

    /// <summary>
    /// Per shard, the videos to compare by their clips: the best coarse candidates across all shards (as many as one
    /// library's coarse stage takes), then every video whose text matched. A shard that did not answer has none.
    /// </summary>
    private List<long>[] ChooseCandidates(ShardCandidates?[] found, VideoTies ties)
    {
        var all = new List<(int Shard, ScoredVideo Candidate)>();
        for (var shard = 0; shard < found.Length; shard++)
            all.AddRange((found[shard]?.Coarse ?? []).Select(c => (shard, c)));
        all.Sort((a, b) => b.Candidate.Score != a.Candidate.Score
            ? b.Candidate.Score.CompareTo(a.Candidate.Score)
            : ties.Compare(a.Shard, a.Candidate.VideoId, b.Shard, b.Candidate.VideoId));
        var chosen = new List<long>[found.Length];
        var seen = new HashSet<long>[found.Length];
        for (var shard = 0; shard < found.Length; shard++)
            (chosen[shard], seen[shard]) = ([], []);
        foreach (var (shard, candidate) in all.Take(Math.Max(Options.Candidates, Options.TopVideos)))
        {
            if (seen[shard].Add(candidate.VideoId))
                chosen[shard].Add(candidate.VideoId);
        }
        // A video whose text matched is compared by its pictures too, even when the coarse stage did not pick it.
        for (var shard = 0; shard < found.Length; shard++)
        {
            foreach (var video in found[shard]?.TextMatched ?? [])
            {
                if (seen[shard].Add(video.VideoId))
                    chosen[shard].Add(video.VideoId);
            }
        }
        return chosen;
    }

    /// <summary>A shard's hit with the shard named on it and on its moments (ids are per shard).</summary>
    private static ShardHit Named(ShardHit hit, string shard) =>
        hit with { Hit = hit.Hit with { Shard = shard }, Corpus = [.. hit.Corpus.Select(m => m with { Shard = shard })] };

    /// <summary>
    /// The final order of the videos: by visual score when no text matched (the search as it was before text), else by
    /// the fused score of the visual score rescaled over the videos compared (across all shards) and the best text match.
    /// </summary>
    private List<RankedVideo> Rank(List<(int Shard, ScoredVideo Video)> scored, ShardCandidates?[] found, bool fused, VideoTies ties)
    {
        var ranking = new List<RankedVideo>(scored.Count);
        if (!fused)
        {
            foreach (var (shard, video) in scored)
                ranking.Add(new RankedVideo(shard, video.VideoId, video.Score, 0));
            return ranking;
        }
        var text = new Dictionary<(int, long), double>();
        for (var shard = 0; shard < found.Length; shard++)
        {
            foreach (var video in found[shard]?.TextMatched ?? [])
                text[(shard, video.VideoId)] = video.Score;
        }
        var (lowest, highest) = scored.Count > 0 ? (scored[^1].Video.Score, scored[0].Video.Score) : (0, 0);
        var seen = new HashSet<(int, long)>();
        foreach (var (shard, video) in scored)
        {
            var visual = highest > lowest ? (video.Score - lowest) / (highest - lowest) : 1;
            ranking.Add(new RankedVideo(shard, video.VideoId, Options.Fusion.Fuse(visual, text.GetValueOrDefault((shard, video.VideoId))), visual));
            seen.Add((shard, video.VideoId));
        }
        foreach (var ((shard, id), best) in text)
        {
            if (seen.Add((shard, id)))
                ranking.Add(new RankedVideo(shard, id, Options.Fusion.Fuse(0, best), 0));
        }
        ranking.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score)
            : b.Visual != a.Visual ? b.Visual.CompareTo(a.Visual) : ties.Compare(a.Shard, a.VideoId, b.Shard, b.VideoId));
        return ranking;
    }

    /// <summary>Whether the best clip is at least <paramref name="contrast"/> above the median clip (<see cref="SearchOptions.MinPeakContrast"/>).</summary>
    internal static bool StandsOut(ReadOnlySpan<float> similarities, float contrast)
    {
        if (similarities.IsEmpty)
            return false;
        var sorted = similarities.ToArray();
        Array.Sort(sorted);
        var median = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return sorted[^1] - median >= contrast;
    }

    public void Dispose()
    {
        foreach (var reader in _ownedReaders)
            reader.Dispose();
    }
}
