namespace Vireo.Grounding.Trained;

/// <summary>
/// The official post-processing of a forward pass: spans (center, width) become [center − width/2, center + width/2]
/// times the window's length in seconds, all in float32, ranked by foreground probability with a stable sort (equal
/// scores keep the query order), as <c>compute_mr_results</c> and <c>BasePredictor</c> do.
/// </summary>
public static class MomentRanking
{
    public static PredictedMoment[] Rank(DetrOutputs outputs, float windowSeconds)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var moments = new PredictedMoment[outputs.Queries];
        for (var q = 0; q < moments.Length; q++)
        {
            var center = outputs.Spans[2 * q];
            var halfWidth = 0.5f * outputs.Spans[2 * q + 1];
            moments[q] = new PredictedMoment((center - halfWidth) * windowSeconds, (center + halfWidth) * windowSeconds, outputs.Foreground(q), q);
        }
        // Array.Sort is not stable; ordering by (score desc, query asc) is.
        Array.Sort(moments, static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Query.CompareTo(b.Query));
        return moments;
    }
}
