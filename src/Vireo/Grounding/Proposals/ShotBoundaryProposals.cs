using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Grounding.Proposals;

/// <summary>
/// Shot proposals: every shot and every union of up to <see cref="MaxShotsPerUnion"/> consecutive shots within the
/// maximum span. Shots come from the video's supplied boundaries (<see cref="GroundingVideo.ShotBoundaries"/>, e.g.
/// FFmpeg's scene score) when it has them, else from the embedding change between adjacent clips
/// (<see cref="ShotDetection.FromEmbeddings"/> with <see cref="Sensitivity"/>); either is computed once per video
/// (<see cref="GroundingVideo.ShotStarts"/>).
/// </summary>
public sealed record ShotBoundaryProposals : IProposalGenerator
{
    public string Name => "shots";

    public int MaxShotsPerUnion { get; init; } = 4;

    /// <summary>Standard deviations above the mean change that make a boundary (embedding change only).</summary>
    public double Sensitivity { get; init; } = 1.0;

    public void Generate(ProposalContext context, List<ClipSpan> proposals)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxShotsPerUnion);
        var video = context.Video;
        SegmentUnions.Add(ShotDetection.Shots(video.ShotStarts(Sensitivity), video.ClipCount), MaxShotsPerUnion, context.MaxSpanClips, proposals);
    }
}
