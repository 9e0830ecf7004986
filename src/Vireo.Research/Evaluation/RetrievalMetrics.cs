using Vireo.Research.Features;

namespace Vireo.Research.Evaluation;

/// <summary>Text→video retrieval scores: R@1/5/10 in percent, median and mean rank (1-based).</summary>
public sealed record RetrievalScores(double R1, double R5, double R10, double MedianRank, double MeanRank, int Ranks);

/// <summary>How ties and captions are handled, as the two code paths of CLIP4Clip's <c>metrics.py</c>.</summary>
public enum RetrievalSetting
{
    /// <summary>
    /// <c>compute_metrics</c> on a square [captions × videos] matrix whose diagonal is the truth (MSR-VTT 1k-A): a
    /// caption's rank is its video's 0-based position in the row sorted by descending similarity; when k videos tie with
    /// the true one, all k positions are counted as ranks (the script's <c>np.where(sx - d == 0)</c>), so ties pull R@k
    /// down and add entries; MdR is NumPy's median (mean of the two middle ranks) + 1; MnR the mean + 1.
    /// </summary>
    SingleCaption,

    /// <summary>
    /// <c>tensor_text_to_video_metrics</c> (several captions per video, e.g. MSVD, or DiDeMo paragraphs): one rank per
    /// caption, the number of videos scoring higher plus the tied ones of lower column index (PyTorch's argsort leaves
    /// tie order unspecified; Vireo fixes it); captions whose true similarity is ±∞ or NaN (padding) are dropped; MdR is
    /// torch.median (the lower middle rank) + 1; MnR the mean + 1.
    /// </summary>
    MultiCaption,
}

/// <summary>Text→video retrieval metrics as CLIP4Clip computes them (0-based ranks; MdR and MnR add 1).</summary>
public static class RetrievalMetrics
{
    /// <summary>
    /// Scores a similarity matrix [captions × videos] (row-major). <paramref name="truthColumn"/> gives each caption's
    /// video column; for <see cref="RetrievalSetting.SingleCaption"/> it must be the diagonal.
    /// </summary>
    public static RetrievalScores FromSimilarities(ReadOnlySpan<float> similarities, int captions, int videos, ReadOnlySpan<int> truthColumn, RetrievalSetting setting)
    {
        if (similarities.Length != (long)captions * videos)
            throw new ArgumentException($"a {captions} x {videos} matrix needs {(long)captions * videos} values, got {similarities.Length}", nameof(similarities));
        if (truthColumn.Length != captions)
            throw new ArgumentException("one true column per caption is needed", nameof(truthColumn));
        var ranks = new List<int>(captions);
        for (var q = 0; q < captions; q++)
        {
            var row = similarities.Slice(q * videos, videos);
            var c = truthColumn[q];
            if ((uint)c >= (uint)videos)
                throw new ArgumentOutOfRangeException(nameof(truthColumn), $"caption {q}: column {c} is outside the {videos} videos");
            if (setting == RetrievalSetting.SingleCaption && c != q)
                throw new ArgumentException("the single-caption setting needs the truth on the diagonal", nameof(truthColumn));
            var truth = row[c];
            if (setting == RetrievalSetting.MultiCaption && !float.IsFinite(truth))
                continue;
            int greater = 0, tiedBefore = 0, tied = 0;
            for (var v = 0; v < videos; v++)
            {
                if (row[v] > truth)
                    greater++;
                else if (row[v] == truth)
                {
                    tied++;
                    if (v < c)
                        tiedBefore++;
                }
            }
            if (setting == RetrievalSetting.MultiCaption)
                ranks.Add(greater + tiedBefore);
            else
            {
                for (var k = 0; k < tied; k++)
                    ranks.Add(greater + k);
            }
        }
        return FromRanks(ranks, setting);
    }

    /// <summary>Scores a square similarity matrix with the truth on the diagonal (<see cref="RetrievalSetting.SingleCaption"/>).</summary>
    public static RetrievalScores FromSquare(FeatureArray similarities)
    {
        ArgumentNullException.ThrowIfNull(similarities);
        if (similarities.Shape.Length != 2 || similarities.Shape[0] != similarities.Shape[1])
            throw new ArgumentException($"expected a square [captions x videos] matrix, got {similarities}", nameof(similarities));
        var n = similarities.Shape[0];
        return FromSimilarities(similarities.Data, n, n, [.. Enumerable.Range(0, n)], RetrievalSetting.SingleCaption);
    }

    /// <summary>Scores 0-based ranks directly (e.g. from ranked lists).</summary>
    public static RetrievalScores FromRanks(IReadOnlyList<int> ranks, RetrievalSetting setting = RetrievalSetting.SingleCaption)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        if (ranks.Count == 0)
            throw new ArgumentException("no rank to score", nameof(ranks));
        var sorted = ranks.Order().ToArray();
        double Recall(int k) => 100.0 * sorted.Count(r => r < k) / sorted.Length;
        var n = sorted.Length;
        double median = setting == RetrievalSetting.SingleCaption && n % 2 == 0
            ? (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
            : sorted[(n - 1) / 2];
        return new RetrievalScores(Recall(1), Recall(5), Recall(10), median + 1, sorted.Average() + 1, n);
    }
}
