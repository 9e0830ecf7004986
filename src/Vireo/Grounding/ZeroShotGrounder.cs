using System.Runtime.InteropServices;
using Vireo.Temporal;
using Vireo.Grounding.Proposals;
using Vireo.Grounding.Signals;

namespace Vireo.Grounding;

/// <summary>
/// Zero-shot grounding of one sentence in one video from clip and sentence embeddings of a joint space (CLIP):
/// <list type="number">
/// <item>similarity curve: the cosine of each clip with the query (<see cref="SimilarityProfile"/>, the saliency curve);</item>
/// <item>proposals from every generator of <see cref="GroundingOptions.Generators"/>, at most the maximum span long;</item>
/// <item>each proposal scored by <see cref="GroundingOptions.Scorer"/> in O(1) (prefix sums);</item>
/// <item>the best <see cref="GroundingOptions.CandidatePool"/> proposals kept as candidates;</item>
/// <item>moments chosen one at a time: the best candidate not overlapping a kept moment has its boundaries refined
/// clip by clip (<see cref="BoundaryRefinement"/>) and is kept unless <see cref="TemporalNms.IsSuppressed"/> (IoU &gt;
/// <see cref="GroundingOptions.NmsThreshold"/> with a kept moment); with <see cref="GroundingOptions.ExplainAway"/> the
/// kept moment's clips are then set to the background level and the proposals scored again; until TopK moments;</item>
/// <item>moments in seconds (clip boundaries, so within [0, duration]), ranked by their score on the query's curve.</item>
/// </list>
/// Cost per query: O(clips · dimension) for the curve, O(proposals) = O(clips) for generating and scoring, then
/// O(TopK · CandidatePool) for choosing the moments among the best proposals; memory O(proposals) = O(clips).
/// Stateless and thread-safe.
/// </summary>
public sealed class ZeroShotGrounder
{
    public ZeroShotGrounder(GroundingOptions? options = null)
    {
        options ??= GroundingOptions.Default;
        options.Validate();
        Options = options;
    }

    public GroundingOptions Options { get; }

    /// <summary>Grounds a unit-length <paramref name="query"/> embedding (the clips' dimension) in <paramref name="video"/>.</summary>
    public GroundingResult Ground(GroundingVideo video, ReadOnlySpan<float> query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(video);
        return Ground(video, SimilarityProfile.Compute(video, query), cancellationToken);
    }

    /// <summary>Grounds a query given by its similarity curve over <paramref name="video"/>.</summary>
    public GroundingResult Ground(GroundingVideo video, SimilarityProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Count != video.ClipCount)
            throw new ArgumentException($"the similarity curve has {profile.Count} clips, the video {video.ClipCount}", nameof(profile));
        var maxSpan = Math.Clamp((int)Math.Floor(Options.MaxSpanSeconds / video.Grid.ClipLength + 1e-9), 1, video.ClipCount);
        var context = new ProposalContext(video, profile, maxSpan, cancellationToken);
        var proposals = new List<ClipSpan>();
        foreach (var generator in Options.Generators)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var first = proposals.Count;
            generator.Generate(context, proposals);
            for (var i = first; i < proposals.Count; i++)
            {
                if (!proposals[i].IsWithin(video.ClipCount) || proposals[i].Length > maxSpan)
                    throw new InvalidOperationException($"proposal generator '{generator.Name}' produced {proposals[i]}, outside a {video.ClipCount}-clip video or longer than {maxSpan} clips");
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        var scores = new double[proposals.Count];
        var spans = CollectionsMarshal.AsSpan(proposals);
        for (var i = 0; i < scores.Length; i++)
            scores[i] = Options.Scorer.Score(profile, spans[i]);
        var (pool, poolScores) = BestProposals(spans, scores, Options.CandidatePool);
        var moments = Select(video, profile, pool, poolScores, maxSpan);
        return new GroundingResult(moments, profile, proposals.Count);
    }

    /// <summary>The <paramref name="count"/> best-scored proposals (ties: the earlier), in proposal order; all when there are fewer.</summary>
    private static (ClipSpan[] Spans, double[] Scores) BestProposals(ReadOnlySpan<ClipSpan> spans, double[] scores, int count)
    {
        if (spans.Length <= count)
            return (spans.ToArray(), scores);
        // A min-heap of the best so far: the root is the weakest kept proposal (lower score, or the later on a tie).
        var heap = new PriorityQueue<int, int>(count, Comparer<int>.Create((a, b) =>
        {
            var byScore = scores[a].CompareTo(scores[b]);
            return byScore != 0 ? byScore : b.CompareTo(a);
        }));
        for (var i = 0; i < spans.Length; i++)
        {
            if (heap.Count < count)
                heap.Enqueue(i, i);
            else if (scores[i] > scores[heap.Peek()])
                heap.DequeueEnqueue(i, i);
        }
        var kept = heap.UnorderedItems.Select(item => item.Element).Order().ToArray();
        var keptSpans = new ClipSpan[kept.Length];
        var keptScores = new double[kept.Length];
        for (var i = 0; i < kept.Length; i++)
            (keptSpans[i], keptScores[i]) = (spans[kept[i]], scores[kept[i]]);
        return (keptSpans, keptScores);
    }

    private List<GroundedMoment> Select(GroundingVideo video, SimilarityProfile profile, ReadOnlySpan<ClipSpan> spans, double[] scores, int maxSpan)
    {
        var kept = new List<ScoredWindow>(Options.TopK);
        var keptSpans = new List<ClipSpan>(Options.TopK);
        var moments = new List<GroundedMoment>(Options.TopK);
        var excluded = new bool[spans.Length]; // taken, or suppressed by a kept moment (for good: the kept set only grows)
        var current = profile;
        while (moments.Count < Options.TopK)
        {
            var best = BestCandidate(video, spans, scores, excluded, kept);
            if (best < 0)
                break;
            excluded[best] = true;
            var span = spans[best];
            if (Options.RefineBoundaries)
                span = BoundaryRefinement.Refine(Options.Scorer, current, span, maxSpan, Options.MaxRefinementSteps).Span;
            var score = Options.Scorer.Score(profile, span);
            var window = new ScoredWindow(video.ToWindow(span), score);
            if (TemporalNms.IsSuppressed(window, CollectionsMarshal.AsSpan(kept), Options.NmsThreshold))
                continue;
            kept.Add(window);
            keptSpans.Add(span);
            moments.Add(new GroundedMoment(window.Start, window.End, score, span, profile.MeanInside(span)));
            if (Options.ExplainAway && moments.Count < Options.TopK)
            {
                current = profile.WithBackground(keptSpans);
                for (var i = 0; i < scores.Length; i++)
                {
                    if (!excluded[i])
                        scores[i] = Options.Scorer.Score(current, spans[i]);
                }
            }
        }
        // Moments are ranked by their score on the query's own curve (one scale for all), ties in the order found.
        return [.. moments.Select((m, i) => (m, i)).OrderByDescending(p => p.m.Score).ThenBy(p => p.i).Select(p => p.m)];
    }

    /// <summary>The best-scored candidate not excluded nor suppressed by a kept moment (ties: the earlier proposal), or −1.</summary>
    private int BestCandidate(GroundingVideo video, ReadOnlySpan<ClipSpan> spans, double[] scores, bool[] excluded, List<ScoredWindow> kept)
    {
        var best = -1;
        for (var i = 0; i < spans.Length; i++)
        {
            if (excluded[i] || (best >= 0 && scores[i] <= scores[best]))
                continue;
            if (kept.Count > 0 && TemporalNms.IsSuppressed(new ScoredWindow(video.ToWindow(spans[i]), scores[i]), CollectionsMarshal.AsSpan(kept), Options.NmsThreshold))
            {
                excluded[i] = true;
                continue;
            }
            best = i;
        }
        return best;
    }
}
