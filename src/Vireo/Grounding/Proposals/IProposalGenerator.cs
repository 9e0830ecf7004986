using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Grounding.Proposals;

/// <summary>
/// Produces candidate spans for one query on one video. Every span must lie in the video
/// (<see cref="ClipSpan.IsWithin"/>) and be at most <see cref="ProposalContext.MaxSpanClips"/> long; the count must grow
/// at most linearly with the video's length (the grounder scores every proposal). Generators may ignore the query
/// (the built-in ones do: their proposals depend on the video alone).
/// </summary>
public interface IProposalGenerator
{
    /// <summary>A short name for reports.</summary>
    string Name { get; }

    void Generate(ProposalContext context, List<ClipSpan> proposals);
}

/// <summary>What a generator may read: the video, the query's similarity curve and the longest span allowed.</summary>
public sealed record ProposalContext(GroundingVideo Video, SimilarityProfile Profile, int MaxSpanClips, CancellationToken CancellationToken = default)
{
    public int ClipCount => Video.ClipCount;

    /// <summary>Whole clips in <paramref name="seconds"/> of this video, at least 1.</summary>
    public int Clips(double seconds) => Math.Max(1, (int)Math.Round(seconds / Video.Grid.ClipLength, MidpointRounding.AwayFromZero));
}

/// <summary>Spans made of runs of consecutive segments (events, shots).</summary>
internal static class SegmentUnions
{
    /// <summary>Adds every run of 1..<paramref name="maxSegments"/> consecutive segments no longer than <paramref name="maxSpan"/> clips.</summary>
    public static void Add(IReadOnlyList<ClipSpan> segments, int maxSegments, int maxSpan, List<ClipSpan> proposals)
    {
        for (var i = 0; i < segments.Count; i++)
        {
            var last = Math.Min(segments.Count, i + maxSegments);
            for (var j = i; j < last; j++)
            {
                var span = new ClipSpan(segments[i].Start, segments[j].End);
                if (span.Length > maxSpan)
                    break;
                proposals.Add(span);
            }
        }
    }
}
