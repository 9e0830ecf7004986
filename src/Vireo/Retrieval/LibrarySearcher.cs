using System.Diagnostics;
using Vireo.Errors;
using Vireo.Grounding;
using Vireo.Grounding.Events;
using Vireo.Grounding.Trained;
using Vireo.Library;
using Vireo.Models;
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
    private readonly IReadOnlyList<LibraryReader> _readers;
    private readonly bool _ownsReaders;
    private readonly EmbeddingModel _model;
    private readonly ZeroShotGrounder _grounder;

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

    /// <summary>A searcher over the shards of one library (readers of one model, which the caller disposes).</summary>
    /// <exception cref="ArgumentException">No shard, or shards read with different models.</exception>
    public LibrarySearcher(IReadOnlyList<LibraryReader> shards, SearchOptions? options = null)
        : this(shards, options, ownsReaders: false)
    {
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
        (_readers, _ownsReaders, _model) = (readers, ownsReaders, readers[0].Model);
        _grounder = new ZeroShotGrounder(Options.Grounding);
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
        var shards = new List<ShardSearch>(_readers.Count);
        for (var i = 0; i < _readers.Count; i++)
            shards.Add(new ShardSearch(i, _readers[i], Options, _grounder, text, query));

        // Phase 1: each shard's text matches (words and meaning) and its coarse stage's best videos.
        var found = await Task.WhenAll(shards.Select(s => s.CandidatesAsync(cancellationToken))).ConfigureAwait(false);
        var fused = found.Any(f => f.TextMatched.Count > 0);
        if (query is null && !fused && Options.Channels.Contains(SearchChannel.Visual))
            _model.Text.EncodeQuery(label); // the model knows none of the words and no text matched: refused as a visual search is
        var afterCoarse = watch.Elapsed.TotalMilliseconds;

        // Phase 2: the best coarse candidates across the shards, and every video whose text matched, are compared by
        // their clips (each shard its own videos, in parallel).
        var scored = new List<VisualCandidate>();
        if (query is not null)
        {
            var chosen = ChooseCandidates(found);
            var perShard = await Task.WhenAll(shards.Select(s => Task.Run(() => s.Score(chosen[s.Shard], cancellationToken), cancellationToken))).ConfigureAwait(false);
            foreach (var list in perShard)
                scored.AddRange(list);
            scored.Sort((a, b) => b.Match.Score != a.Match.Score ? b.Match.Score.CompareTo(a.Match.Score) : CompareKeys(a.Shard, a.VideoId, b.Shard, b.VideoId));
        }
        var afterFine = watch.Elapsed.TotalMilliseconds;

        // Phase 3: the best videos of the global ranking grounded by their shards, merged back in ranking order.
        var ranking = Rank(scored, shards, fused);
        var top = ranking.Take(Options.TopVideos).ToList();
        var trained = query is not null && Options.Grounder is { } trainedGrounder
            ? shards.Select(s => TrainedStage.For(trainedGrounder, s.Library, _model, label)).ToList()
            : null;
        var grounded = await Task.WhenAll(shards.Select(s => Task.Run(() =>
        {
            var hits = new Dictionary<long, ShardHit>();
            foreach (var ranked in top)
            {
                if (ranked.Shard == s.Shard && s.Ground(ranked, fused, trained?[s.Shard], cancellationToken) is { } hit)
                    hits[ranked.VideoId] = hit;
            }
            return hits;
        }, cancellationToken))).ConfigureAwait(false);

        var ordered = new List<ShardHit>(top.Count);
        foreach (var ranked in top)
        {
            if (grounded[ranked.Shard].TryGetValue(ranked.VideoId, out var hit))
                ordered.Add(hit);
        }
        var corpus = new List<CorpusMoment>();
        if (fused)
        {
            var fusedCorpus = ordered.SelectMany(h => h.FusedCorpus.Select(m => (Moment: m, h.Video))).ToList();
            fusedCorpus.Sort((a, b) => FusedMoment.Compare(a.Moment, b.Moment));
            foreach (var (moment, video) in fusedCorpus)
            {
                corpus.Add(new CorpusMoment(video.Id, video.Path, moment.Moment.Start, moment.Moment.End, moment.Score, moment.Similarity)
                {
                    MatchedChannels = moment.Channels,
                    MatchedText = moment.Text,
                });
            }
        }
        else
        {
            if (trained is not null)
                ordered = [.. ordered.OrderByDescending(h => h.Best).ThenByDescending(h => h.Hit.Score)];
            corpus.AddRange(ordered.SelectMany(h => h.Corpus));
            corpus.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : b.GroundingScore.CompareTo(a.GroundingScore));
        }
        if (corpus.Count > Options.TopMoments)
            corpus.RemoveRange(Options.TopMoments, corpus.Count - Options.TopMoments);
        var total = watch.Elapsed.TotalMilliseconds;
        return new SearchResult(label, [.. ordered.Select(h => h.Hit)], corpus, new SearchTimings(encoded, afterCoarse - encoded, afterFine - afterCoarse, total - afterFine, total));
    }

    /// <summary>
    /// Per shard, the videos to compare by their clips: the best coarse candidates across all shards (as many as one
    /// library's coarse stage takes), then every video whose text matched.
    /// </summary>
    private List<long>[] ChooseCandidates((List<CoarseCandidate> Coarse, List<long> TextMatched)[] found)
    {
        var all = new List<(int Shard, CoarseCandidate Candidate)>();
        for (var shard = 0; shard < found.Length; shard++)
            all.AddRange(found[shard].Coarse.Select(c => (shard, c)));
        all.Sort((a, b) => b.Candidate.Score != a.Candidate.Score
            ? b.Candidate.Score.CompareTo(a.Candidate.Score)
            : CompareKeys(a.Shard, a.Candidate.VideoId, b.Shard, b.Candidate.VideoId));
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
            foreach (var id in found[shard].TextMatched)
            {
                if (seen[shard].Add(id))
                    chosen[shard].Add(id);
            }
        }
        return chosen;
    }

    private static int CompareKeys(int shardA, long videoA, int shardB, long videoB) =>
        shardA != shardB ? shardA.CompareTo(shardB) : videoA.CompareTo(videoB);

    /// <summary>
    /// The final order of the videos: by visual score when no text matched (the search as it was before text), else by
    /// the fused score of the visual score rescaled over the videos compared (across all shards) and the best text match.
    /// </summary>
    private List<RankedVideo> Rank(List<VisualCandidate> scored, List<ShardSearch> shards, bool fused)
    {
        var ranking = new List<RankedVideo>(scored.Count);
        if (!fused)
        {
            foreach (var candidate in scored)
                ranking.Add(new RankedVideo(candidate.Shard, candidate.VideoId, candidate.Match.Score, 0));
            return ranking;
        }
        var (lowest, highest) = scored.Count > 0 ? (scored[^1].Match.Score, scored[0].Match.Score) : (0, 0);
        var seen = new HashSet<(int, long)>();
        foreach (var candidate in scored)
        {
            var visual = highest > lowest ? (candidate.Match.Score - lowest) / (highest - lowest) : 1;
            ranking.Add(new RankedVideo(candidate.Shard, candidate.VideoId, Options.Fusion.Fuse(visual, shards[candidate.Shard].Text.BestScore(candidate.VideoId)), visual));
            seen.Add((candidate.Shard, candidate.VideoId));
        }
        foreach (var shard in shards)
        {
            foreach (var id in shard.Text.VideoIds)
            {
                if (seen.Add((shard.Shard, id)))
                    ranking.Add(new RankedVideo(shard.Shard, id, Options.Fusion.Fuse(0, shard.Text.BestScore(id)), 0));
            }
        }
        ranking.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score)
            : b.Visual != a.Visual ? b.Visual.CompareTo(a.Visual) : CompareKeys(a.Shard, a.VideoId, b.Shard, b.VideoId));
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
        if (!_ownsReaders)
            return;
        foreach (var reader in _readers)
            reader.Dispose();
    }
}
