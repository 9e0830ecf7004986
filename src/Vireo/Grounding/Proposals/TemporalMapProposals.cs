using Vireo.Temporal;

namespace Vireo.Grounding.Proposals;

/// <summary>
/// The spans of a 2D temporal map (2D-TAN) up to the maximum span, sampled sparsely as 2D-TAN samples long moments:
/// every span of up to <see cref="DenseClips"/> clips at every start; longer spans on a grid whose step doubles each
/// time the length doubles (lengths in (D·2^(k−1), D·2^k] with start and length multiples of 2^k), plus the span of
/// each sampled length that ends at the video's end. About (D + D/2 · levels) proposals per clip: 24 per clip for
/// D = 16 and a 150-clip maximum span.
/// </summary>
public sealed record TemporalMapProposals : IProposalGenerator
{
    public string Name => "temporal-map";

    /// <summary>Spans up to this many clips are all taken.</summary>
    public int DenseClips { get; init; } = 16;

    public void Generate(ProposalContext context, List<ClipSpan> proposals)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(proposals);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DenseClips);
        var n = context.ClipCount;
        var maxLength = Math.Min(context.MaxSpanClips, n);
        for (var length = 1; length <= maxLength; length++)
        {
            var step = Step(length);
            if (length % step != 0 && length != maxLength)
                continue;
            var start = 0;
            for (; start + length <= n; start += step)
                proposals.Add(new ClipSpan(start, start + length));
            if (start - step + length < n)
                proposals.Add(new ClipSpan(n - length, n));
        }
    }

    /// <summary>The sampling step of spans of <paramref name="length"/> clips: 1 up to DenseClips, then 2, 4, 8, ...</summary>
    public int Step(int length)
    {
        var step = 1;
        for (var limit = DenseClips; length > limit; limit *= 2)
            step *= 2;
        return step;
    }
}
