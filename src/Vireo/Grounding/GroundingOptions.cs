using Vireo.Grounding.Proposals;
using Vireo.Grounding.Scoring;

namespace Vireo.Grounding;

/// <summary>
/// What <see cref="ZeroShotGrounder"/> does. Defaults: all four proposal generators, the inside/outside
/// contrast as Welch's t without priors, spans up to 300 s, boundary refinement, explaining away, NMS at IoU 0.5, ten moments.
/// </summary>
public sealed record GroundingOptions
{
    public static GroundingOptions Default { get; } = new();

    /// <summary>The proposal generators (leave one out to switch it off). Their proposals are pooled; duplicates are harmless.</summary>
    public IReadOnlyList<IProposalGenerator> Generators { get; init; } =
        [new SlidingWindowProposals(), new TemporalMapProposals(), new EventProposals(), new ShotBoundaryProposals()];

    public IProposalScorer Scorer { get; init; } = InsideOutsideContrast.Default;

    /// <summary>Longest moment in seconds (rounded to whole clips; the whole video when it is shorter). Bounds the proposal count per clip.</summary>
    public double MaxSpanSeconds { get; init; } = 300;

    /// <summary>Moves each candidate's start and end clip by clip while its score improves (hill climbing, O(1) per step).</summary>
    public bool RefineBoundaries { get; init; } = true;

    /// <summary>Refinement steps per candidate at most.</summary>
    public int MaxRefinementSteps { get; init; } = 32;

    /// <summary>
    /// Finds moments one at a time: after each, its clips are set to the background level (the mean of the clips not
    /// yet explained) and the proposals are scored again, so a strong moment neither lifts the long spans that contain
    /// it above a weaker second moment nor raises that moment's "outside". Costs one rescoring pass per moment.
    /// </summary>
    public bool ExplainAway { get; init; } = true;

    /// <summary>
    /// Moments are chosen among this many best-scored proposals (all of them in videos with fewer, e.g. every video under
    /// about 10 minutes with the defaults). Bounds the explain-away rescoring on long videos, where a strong moment
    /// barely changes the others' scores.
    /// </summary>
    public int CandidatePool { get; init; } = 4096;

    /// <summary>Temporal NMS: a moment whose IoU with a better one is greater than this is dropped.</summary>
    public double NmsThreshold { get; init; } = 0.5;

    /// <summary>Moments returned at most (QVHighlights' mAP reads the first 10).</summary>
    public int TopK { get; init; } = 10;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Generators);
        ArgumentNullException.ThrowIfNull(Scorer);
        if (Generators.Count == 0)
            throw new ArgumentException("at least one proposal generator is needed", nameof(Generators));
        if (!(MaxSpanSeconds > 0))
            throw new ArgumentOutOfRangeException(nameof(MaxSpanSeconds), MaxSpanSeconds, "the maximum span must be positive");
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRefinementSteps);
        if (!(NmsThreshold is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(NmsThreshold), NmsThreshold, "the NMS threshold is an IoU in [0, 1]");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TopK);
        ArgumentOutOfRangeException.ThrowIfLessThan(CandidatePool, TopK);
    }
}
