using Vireo.Grounding;
using Vireo.Grounding.Events;
using Vireo.Grounding.Signals;
using Vireo.Grounding.Trained;
using Vireo.Library;
using Vireo.Temporal;
using Vireo.Vectors;

namespace Vireo.Retrieval;

/// <summary>
/// One library's part of one search, in the three phases a coordinator (<see cref="LibrarySearcher"/>) drives over one
/// or several libraries (shards): (1) <see cref="CandidatesAsync"/>: the text stage and the coarse stage's best
/// videos, each with its score; (2) <see cref="Score"/>: the fine visual score of the videos the coordinator chose
/// across shards; (3) <see cref="Ground"/>: the moments, saliency and quotes of the videos it ranked at the top, given
/// their rescaled visual score. Everything a phase computes depends on the video alone or on what the coordinator
/// passes in, so a library split into shards answers exactly as the whole library does. Holds the state of one search
/// (the text stage, the compared videos' clips); not shared between searches.
/// </summary>
internal sealed class ShardSearch(LibraryReader reader, SearchOptions options, ZeroShotGrounder grounder, string? text, float[]? query, string label)
{
    private readonly Dictionary<long, VisualCandidate> _compared = [];
    private TextStage _text = TextStage.None;


    /// <summary>
    /// Phase 1: the coarse stage's best videos with their coarse scores (best first), the videos whose text matched with
    /// their best text score, and the tie keys of all of them.
    /// </summary>
    public async Task<ShardCandidates> CandidatesAsync(CancellationToken cancellationToken)
    {
        _text = text is null ? TextStage.None : TextStage.Search(reader.Library, text, options, options.SemanticText ? reader.Sentences : null);
        List<CoarseCandidate> coarse = [];
        if (query is not null)
        {
            var stage = await reader.Coarse.CurrentAsync(cancellationToken).ConfigureAwait(false);
            coarse = stage.Candidates(query, Math.Max(options.Candidates, options.TopVideos));
        }
        ScoredVideo[] textMatched = [.. _text.VideoIds.Select(id => new ScoredVideo(id, _text.BestScore(id)))];
        var named = new HashSet<long>(textMatched.Select(v => v.VideoId));
        named.UnionWith(coarse.Select(c => c.VideoId));
        return new ShardCandidates([.. coarse.Select(c => new ScoredVideo(c.VideoId, c.Score))], textMatched, reader.Library.TieKeys(named));
    }

    /// <summary>
    /// Phase 2: the fine score of each video: its clips give its mean-pooled vector and event prototypes exactly as
    /// indexing made them (float16-rounded), its best clip, and so its final visual score.
    /// </summary>
    public List<ScoredVideo> Score(IEnumerable<long> videoIds, CancellationToken cancellationToken)
    {
        var scored = new List<ScoredVideo>();
        foreach (var id in videoIds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (clips, events) = reader.Library.ReadClipsAndEvents(id);
            var pooled = new float[clips.Dimension];
            VectorMath.MeanPool(clips.AsSpan(), clips.Dimension, pooled);
            var prototypes = Prototypes(clips, events);
            var candidate = new VisualCandidate(id, VideoScore.Compute(query!, pooled, clips, prototypes.Count > 0 ? prototypes : null, options.Weights), clips, events);
            _compared[id] = candidate;
            scored.Add(new ScoredVideo(id, candidate.Match.Score));
        }
        return scored;
    }

    /// <summary>Phase 3 for every ranked video of this shard, in their order (a video removed since phase 1 is left out).</summary>
    public List<ShardHit> Ground(IEnumerable<RankedVideo> ranked, bool fused, CancellationToken cancellationToken)
    {
        var trained = query is not null && options.Grounder is { } grounderModel ? TrainedStage.For(grounderModel, reader.Library, reader.Model, label) : null;
        var hits = new List<ShardHit>();
        foreach (var video in ranked)
        {
            if (GroundOne(video, fused, trained, cancellationToken) is { } hit)
                hits.Add(hit);
        }
        return hits;
    }

    /// <summary>
    /// Phase 3: one ranked video's hit (moments, saliency, quotes) and its moments for the ranking across the library;
    /// null when the video was removed since phase 1.
    /// </summary>
    private ShardHit? GroundOne(RankedVideo ranked, bool fused, TrainedStage? trained, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var video = reader.Library.Find(ranked.VideoId);
        if (video is null)
            return null;
        var perVideo = Math.Max(options.MomentsPerVideo, options.TopMoments);
        var grid = new ClipGrid(video.Duration, video.ClipLength);
        IReadOnlyList<GroundedMoment> distinct = [];
        float[] saliency = [];
        Func<GroundedMoment, double> acrossVideos = m => m.MeanSimilarity;
        _compared.TryGetValue(ranked.VideoId, out var candidate);
        if (candidate is not null && trained is not null)
        {
            var (result, prediction) = trained.Ground(candidate.Clips, grid);
            distinct = DistinctMoments.Select(result.Moments, perVideo);
            saliency = result.Saliency.ToArray();
            acrossVideos = m => TrainedGroundingResult.ComparableScore(m, prediction);
        }
        else if (candidate is not null)
        {
            var segmentation = candidate.Events.Length > 0 ? new EventSegmentation(candidate.Events, candidate.Clips) : null;
            var result = grounder.Ground(new GroundingVideo(candidate.Clips, grid, null, segmentation), query!, cancellationToken);
            distinct = LibrarySearcher.StandsOut(result.Saliency, options.MinPeakContrast) ? DistinctMoments.Select(result.Moments, perVideo) : [];
            saliency = result.Saliency.ToArray();
        }
        var match = candidate?.Match ?? new VideoMatch(ranked.Score, double.NaN, double.NaN, -1, double.NaN, -1);
        var matchedText = _text.Of(video.Id);
        var corpus = new List<CorpusMoment>();
        var fusedCorpus = new List<FusedMoment>();
        IReadOnlyList<GroundedMoment> shown;
        var best = double.NegativeInfinity;
        if (fused)
        {
            var moments = FusedMoments.Combine(video.Id, grid, ranked.Visual, distinct, acrossVideos, saliency, _text, options.Fusion, perVideo);
            shown = [.. moments.Take(options.MomentsPerVideo).Select(m => m.Moment)];
            fusedCorpus.AddRange(moments);
        }
        else
        {
            shown = [.. distinct.Take(options.MomentsPerVideo)];
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
            MatchedChannels = SearchChannels.Matched(distinct.Count > 0, matchedText),
            MatchedText = [.. matchedText.Take(MatchedTextPerVideo)],
        };
        return new ShardHit(hit, best, corpus, fusedCorpus);
    }

    /// <summary>Timed-text entries quoted per video.</summary>
    private const int MatchedTextPerVideo = 5;

    /// <summary>The mean of each event's clips, normalised: the event prototypes indexing stored.</summary>
    private static EmbeddingMatrix Prototypes(EmbeddingMatrix clips, ClipSpan[] events)
    {
        var prototypes = new EmbeddingMatrix(events.Length, clips.Dimension);
        for (var i = 0; i < events.Length; i++)
            VectorMath.MeanPool(clips.AsSpan().Slice(events[i].Start * clips.Dimension, events[i].Length * clips.Dimension), clips.Dimension, prototypes[i]);
        return prototypes;
    }
}

/// <summary>A video the pictures were compared for: its score and what grounding needs.</summary>
internal sealed record VisualCandidate(long VideoId, VideoMatch Match, EmbeddingMatrix Clips, ClipSpan[] Events);
