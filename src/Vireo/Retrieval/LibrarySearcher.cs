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
/// moments are ranked together across the library. Safe to use from several threads; it picks up videos
/// indexed while it lives (the library's generation is checked on every search).
/// </summary>
public sealed class LibrarySearcher : IDisposable
{
    private readonly LibraryReader _reader;
    private readonly bool _ownsReader;
    private readonly VideoLibrary _library;
    private readonly EmbeddingModel _model;
    private readonly ZeroShotGrounder _grounder;

    /// <exception cref="ModelMismatchException">The library was indexed with another model.</exception>
    public LibrarySearcher(VideoLibrary library, EmbeddingModel model, SearchOptions? options = null)
        : this(new LibraryReader(library, model), options, ownsReader: true)
    {
    }

    /// <summary>A searcher over a shared reader (which the caller disposes).</summary>
    public LibrarySearcher(LibraryReader reader, SearchOptions? options = null)
        : this(reader, options, ownsReader: false)
    {
    }

    private LibrarySearcher(LibraryReader reader, SearchOptions? options, bool ownsReader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Options = options ?? new SearchOptions();
        Options.Validate();
        (_reader, _ownsReader, _library, _model) = (reader, ownsReader, reader.Library, reader.Model);
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

    /// <summary>A video the pictures were compared for: its score and what grounding needs.</summary>
    private sealed record VisualCandidate(long VideoId, VideoMatch Match, Vireo.Vectors.EmbeddingMatrix Clips, ClipSpan[] Events);

    /// <summary>A video in the final order: its ranking score and, when the pictures were searched, its visual candidate.</summary>
    private sealed record RankedVideo(long VideoId, double Score, double Visual, VisualCandidate? Candidate);

    private async Task<SearchResult> SearchAsync(string label, string? text, float[]? query, Stopwatch watch, double encoded, CancellationToken cancellationToken)
    {
        // Text stage: the sentence's words (FTS5, BM25) and meaning (sentence vectors) against the stored timed text,
        // when text channels are searched.
        var lexical = text is null ? TextStage.None : TextStage.Search(_library, text, Options, Options.SemanticText ? _reader.Sentences : null);
        if (query is null && lexical.IsEmpty && Options.Channels.Contains(SearchChannel.Visual))
            _model.Text.EncodeQuery(label); // the model knows none of the words and no text matched: refused as a visual search is
        var scored = new List<VisualCandidate>();
        var afterCoarse = watch.Elapsed.TotalMilliseconds;
        if (query is not null)
        {
            var coarse = await _reader.Coarse.CurrentAsync(cancellationToken).ConfigureAwait(false);
            var ids = new List<long>();
            var seen = new HashSet<long>();
            foreach (var candidate in coarse.Candidates(query, Math.Max(Options.Candidates, Options.TopVideos)))
            {
                if (seen.Add(candidate.VideoId))
                    ids.Add(candidate.VideoId);
            }
            // A video whose words match is compared by its pictures too, even when the coarse stage did not pick it.
            foreach (var id in lexical.VideoIds)
            {
                if (seen.Add(id))
                    ids.Add(id);
            }
            afterCoarse = watch.Elapsed.TotalMilliseconds;

            // Fine stage: each candidate's clips give its mean-pooled vector and event prototypes exactly as indexing
            // made them (float16-rounded), its best clip, and so the final video score.
            foreach (var id in ids)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (clips, events) = _library.ReadClipsAndEvents(id);
                var pooled = new float[clips.Dimension];
                VectorMath.MeanPool(clips.AsSpan(), clips.Dimension, pooled);
                var prototypes = Prototypes(clips, events);
                scored.Add(new VisualCandidate(id, VideoScore.Compute(query, pooled, clips, prototypes.Count > 0 ? prototypes : null, Options.Weights), clips, events));
            }
            scored.Sort((a, b) => b.Match.Score.CompareTo(a.Match.Score));
        }
        var afterFine = watch.Elapsed.TotalMilliseconds;

        var fused = !lexical.IsEmpty;
        var ranking = Rank(scored, lexical, fused);
        var trained = query is not null && Options.Grounder is { } grounder ? TrainedStage.For(grounder, _library, _model, label) : null;
        var hits = new List<(VideoHit Hit, double Best)>();
        var corpus = new List<CorpusMoment>();
        var fusedCorpus = new List<(FusedMoment Moment, LibraryVideo Video)>();
        var perVideo = Math.Max(Options.MomentsPerVideo, Options.TopMoments);
        foreach (var ranked in ranking.Take(Options.TopVideos))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var video = _library.Find(ranked.VideoId);
            if (video is null)
                continue; // removed since the coarse vectors were read
            var grid = new ClipGrid(video.Duration, video.ClipLength);
            IReadOnlyList<GroundedMoment> distinct = [];
            float[] saliency = [];
            Func<GroundedMoment, double> acrossVideos = m => m.MeanSimilarity;
            if (ranked.Candidate is { } candidate && trained is not null)
            {
                var (result, prediction) = trained.Ground(candidate.Clips, grid);
                distinct = DistinctMoments.Select(result.Moments, perVideo);
                saliency = result.Saliency.ToArray();
                acrossVideos = m => TrainedGroundingResult.ComparableScore(m, prediction);
            }
            else if (ranked.Candidate is { } visual)
            {
                var segmentation = visual.Events.Length > 0 ? new EventSegmentation(visual.Events, visual.Clips) : null;
                var result = _grounder.Ground(new GroundingVideo(visual.Clips, grid, null, segmentation), query!, cancellationToken);
                distinct = StandsOut(result.Saliency, Options.MinPeakContrast) ? DistinctMoments.Select(result.Moments, perVideo) : [];
                saliency = result.Saliency.ToArray();
            }
            var match = ranked.Candidate?.Match ?? new VideoMatch(ranked.Score, double.NaN, double.NaN, -1, double.NaN, -1);
            var matchedText = lexical.Of(video.Id);
            var channels = SearchChannels.Matched(distinct.Count > 0, matchedText);
            IReadOnlyList<GroundedMoment> shown;
            var best = double.NegativeInfinity;
            if (fused)
            {
                var moments = FusedMoments.Combine(video.Id, grid, ranked.Visual, distinct, acrossVideos, saliency, lexical, Options.Fusion, perVideo);
                shown = [.. moments.Take(Options.MomentsPerVideo).Select(m => m.Moment)];
                foreach (var moment in moments)
                    fusedCorpus.Add((moment, video));
            }
            else
            {
                shown = [.. distinct.Take(Options.MomentsPerVideo)];
                foreach (var moment in distinct)
                {
                    var score = acrossVideos(moment);
                    best = Math.Max(best, score);
                    corpus.Add(new CorpusMoment(video.Id, video.Path, moment.Start, moment.End, score, moment.Score) { MatchedChannels = [SearchChannel.Visual] });
                }
            }
            var hit = new VideoHit(video.Id, video.Path, video.Duration, ranked.Score, match, shown, saliency, video.ClipLength)
            {
                Damaged = video.Damaged,
                MatchedChannels = channels,
                MatchedText = [.. matchedText.Take(MatchedTextPerVideo)],
            };
            hits.Add((hit, best));
        }
        if (fused)
        {
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
                hits.Sort((a, b) => b.Best != a.Best ? b.Best.CompareTo(a.Best) : b.Hit.Score.CompareTo(a.Hit.Score));
            corpus.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : b.GroundingScore.CompareTo(a.GroundingScore));
        }
        if (corpus.Count > Options.TopMoments)
            corpus.RemoveRange(Options.TopMoments, corpus.Count - Options.TopMoments);
        var total = watch.Elapsed.TotalMilliseconds;
        return new SearchResult(label, [.. hits.Select(h => h.Hit)], corpus, new SearchTimings(encoded, afterCoarse - encoded, afterFine - afterCoarse, total - afterFine, total));
    }

    /// <summary>Timed-text entries quoted per video.</summary>
    private const int MatchedTextPerVideo = 5;

    /// <summary>
    /// The final order of the videos: by visual score when no text matched (the search as it was before text), else by
    /// the fused score of the visual score rescaled over the videos compared and the best text match.
    /// </summary>
    private List<RankedVideo> Rank(List<VisualCandidate> scored, TextStage lexical, bool fused)
    {
        var ranking = new List<RankedVideo>(scored.Count);
        if (!fused)
        {
            foreach (var candidate in scored)
                ranking.Add(new RankedVideo(candidate.VideoId, candidate.Match.Score, 0, candidate));
            return ranking;
        }
        var (lowest, highest) = scored.Count > 0 ? (scored[^1].Match.Score, scored[0].Match.Score) : (0, 0);
        var seen = new HashSet<long>();
        foreach (var candidate in scored)
        {
            var visual = highest > lowest ? (candidate.Match.Score - lowest) / (highest - lowest) : 1;
            ranking.Add(new RankedVideo(candidate.VideoId, Options.Fusion.Fuse(visual, lexical.BestScore(candidate.VideoId)), visual, candidate));
            seen.Add(candidate.VideoId);
        }
        foreach (var id in lexical.VideoIds)
        {
            if (seen.Add(id))
                ranking.Add(new RankedVideo(id, Options.Fusion.Fuse(0, lexical.BestScore(id)), 0, null));
        }
        ranking.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : b.Visual.CompareTo(a.Visual));
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

    /// <summary>The mean of each event's clips, normalised: the event prototypes indexing stored.</summary>
    private static Vireo.Vectors.EmbeddingMatrix Prototypes(Vireo.Vectors.EmbeddingMatrix clips, ClipSpan[] events)
    {
        var prototypes = new Vireo.Vectors.EmbeddingMatrix(events.Length, clips.Dimension);
        for (var i = 0; i < events.Length; i++)
            VectorMath.MeanPool(clips.AsSpan().Slice(events[i].Start * clips.Dimension, events[i].Length * clips.Dimension), clips.Dimension, prototypes[i]);
        return prototypes;
    }

    public void Dispose()
    {
        if (_ownsReader)
            _reader.Dispose();
    }
}
