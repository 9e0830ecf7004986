using Vireo.Temporal;

namespace Vireo.Grounding.Proposals;

/// <summary>
/// Multi-scale sliding windows (CTRL): windows of each length slide over the video with a stride of
/// (1 − <see cref="Overlap"/>) of their length (at least one clip), plus one window flush with the video's end.
/// Default lengths: 1, 2, 4, 8, ... clips up to the maximum span, and the maximum span itself. About
/// 4 · clips · (1 + 1/2 + 1/4 + ...) ≈ 8 proposals per clip at the default overlap.
/// </summary>
public sealed record SlidingWindowProposals : IProposalGenerator
{
    public string Name => "sliding-windows";

    /// <summary>Window lengths in seconds (rounded to whole clips), or null for the doubling series.</summary>
    public IReadOnlyList<double>? WindowSeconds
    {
        get;
        init => field = value is null || value.All(s => s > 0 && double.IsFinite(s))
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), "window lengths must be positive seconds");
    }

    /// <summary>Fraction of a window shared with the next one, in [0, 1).</summary>
    public double Overlap
    {
        get;
        init => field = value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "the overlap must be in [0, 1)");
    } = 0.75;

    public void Generate(ProposalContext context, List<ClipSpan> proposals)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(proposals);
        var n = context.ClipCount;
        var maxLength = Math.Min(context.MaxSpanClips, n);
        foreach (var length in Lengths(context, maxLength))
        {
            var stride = Math.Max(1, (int)Math.Round(length * (1 - Overlap), MidpointRounding.AwayFromZero));
            var start = 0;
            for (; start + length <= n; start += stride)
                proposals.Add(new ClipSpan(start, start + length));
            if (start - stride + length < n)
                proposals.Add(new ClipSpan(n - length, n));
        }
    }

    private SortedSet<int> Lengths(ProposalContext context, int maxLength)
    {
        var lengths = new SortedSet<int>();
        if (WindowSeconds is null)
        {
            for (var length = 1; length < maxLength; length *= 2)
                lengths.Add(length);
            lengths.Add(maxLength);
            return lengths;
        }
        foreach (var seconds in WindowSeconds)
            lengths.Add(Math.Min(context.Clips(seconds), maxLength));
        return lengths;
    }
}
