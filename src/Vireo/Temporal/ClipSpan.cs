using Vireo.Grounding.Signals;

namespace Vireo.Temporal;

/// <summary>
/// A run of whole clips of one video: clips <see cref="Start"/> to <see cref="End"/> − 1 (the end is exclusive).
/// Proposals, events and shots are clip spans; they become seconds only at the end (<c>GroundingVideo.ToWindow</c>).
/// </summary>
public readonly record struct ClipSpan(int Start, int End)
{
    /// <summary>Number of clips.</summary>
    public int Length => End - Start;

    /// <summary>True when 0 ≤ Start &lt; End ≤ <paramref name="clipCount"/>.</summary>
    public bool IsWithin(int clipCount) => Start >= 0 && Start < End && End <= clipCount;

    public override string ToString() => $"clips [{Start}, {End})";
}
