using Vireo.Grounding.Events;
using Vireo.Grounding.Signals;
using Vireo.Temporal;

namespace Vireo.Grounding.Proposals;

/// <summary>
/// Event proposals (PSVL): the video's events (<see cref="EventSegmenter"/>, computed once per video and cached by
/// <see cref="GroundingVideo.Events"/>) and every union of up to <see cref="MaxEventsPerUnion"/> consecutive events
/// within the maximum span. At most MaxEventsPerUnion proposals per event.
/// </summary>
public sealed record EventProposals : IProposalGenerator
{
    public string Name => "events";

    public EventSegmentationOptions Segmentation { get; init; } = EventSegmentationOptions.Default;

    public int MaxEventsPerUnion { get; init; } = 6;

    public void Generate(ProposalContext context, List<ClipSpan> proposals)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEventsPerUnion);
        var events = context.Video.Events(Segmentation, context.CancellationToken);
        SegmentUnions.Add(events.Events, MaxEventsPerUnion, context.MaxSpanClips, proposals);
    }
}
