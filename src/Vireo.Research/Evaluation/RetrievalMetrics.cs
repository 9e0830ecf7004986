using System.Numerics;
using Vireo.Errors;
using Vireo.Research.Datasets;
using Vireo.Research.Features;

namespace Vireo.Research.Evaluation;

/// <summary>
/// Text→video retrieval scores: R@1/5/10 in percent, median and mean rank (1-based), the number of ranks, and the
/// captions whose true video ties with another video (in the multi-caption setting the official order of ties is
/// undefined, so these captions may rank differently there).
/// </summary>
public sealed record RetrievalScores(double R1, double R5, double R10, double MedianRank, double MeanRank, int Ranks)
{
    /// <summary>Captions whose true similarity equals another video's similarity in the same row.</summary>
    public int TiedCaptions { get; init; }
}

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
    /// tie order unspecified; Vireo fixes it as a stable sort does, and reports the tied captions); MdR is torch.median
    /// (the lower middle rank) + 1; MnR the mean + 1.
    /// </summary>
    MultiCaption,
}

/// <summary>
/// Text→video retrieval metrics as CLIP4Clip computes them (0-based ranks; MdR and MnR add 1), at the precision of the
/// similarities given (float32 or float64: comparisons are made on the stored values, never on narrowed ones). A
/// non-finite similarity is refused with its row and column: CLIP4Clip's <c>compute_metrics</c> silently gives such a
/// caption no rank (shrinking the denominators) and its multi-caption path treats ±∞ and NaN as padding; a matrix in
/// Vireo's [captions × videos] layout has no padding, so a non-finite value is an error in the file.
/// </summary>
public static class RetrievalMetrics
{
    /// <summary>
    /// Scores a similarity matrix [captions × videos] (row-major). <paramref name="truthColumn"/> gives each caption's
    /// video column; for <see cref="RetrievalSetting.SingleCaption"/> it must be the diagonal. <paramref name="source"/>
    /// names the matrix's file in errors.
    /// </summary>
    public static RetrievalScores FromSimilarities<T>(ReadOnlySpan<T> similarities, int captions, int videos, ReadOnlySpan<int> truthColumn,
        RetrievalSetting setting, string? source = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (similarities.Length != (long)captions * videos)
            throw new ArgumentException($"a {captions} x {videos} matrix needs {(long)captions * videos} values, got {similarities.Length}", nameof(similarities));
        if (truthColumn.Length != captions)
            throw new ArgumentException("one true column per caption is needed", nameof(truthColumn));
        var ranks = new List<int>(captions);
        var tiedCaptions = 0;
        for (var q = 0; q < captions; q++)
        {
            var row = similarities.Slice(q * videos, videos);
            var c = truthColumn[q];
            if ((uint)c >= (uint)videos)
                throw new ArgumentOutOfRangeException(nameof(truthColumn), $"caption {q}: column {c} is outside the {videos} videos");
            if (setting == RetrievalSetting.SingleCaption && c != q)
                throw new ArgumentException("the single-caption setting needs the truth on the diagonal", nameof(truthColumn));
            RequireFinite(row, q, source);
            var truth = row[c];
            int greater = 0, tiedBefore = 0, tied = 0;
            for (var v = 0; v < row.Length; v++)
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
            if (tied > 1)
                tiedCaptions++;
            if (setting == RetrievalSetting.MultiCaption)
                ranks.Add(greater + tiedBefore);
            else
            {
                for (var k = 0; k < tied; k++)
                    ranks.Add(greater + k);
            }
        }
        return FromRanks(ranks, setting) with { TiedCaptions = tiedCaptions };
    }

    /// <summary>Scores a similarity matrix read from a file, at its stored precision.</summary>
    public static RetrievalScores FromMatrix(FeatureArray matrix, ReadOnlySpan<int> truthColumn, RetrievalSetting setting, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Shape.Length != 2)
            throw new ArgumentException($"expected a [captions x videos] matrix, got {matrix}", nameof(matrix));
        var (captions, videos) = (matrix.Shape[0], matrix.Shape[1]);
        return matrix.IsDoublePrecision
            ? FromSimilarities<double>(matrix.Doubles, captions, videos, truthColumn, setting, source)
            : FromSimilarities<float>(matrix.Data, captions, videos, truthColumn, setting, source);
    }

    /// <summary>Scores a square similarity matrix with the truth on the diagonal (<see cref="RetrievalSetting.SingleCaption"/>).</summary>
    public static RetrievalScores FromSquare(FeatureArray similarities, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(similarities);
        if (similarities.Shape.Length != 2 || similarities.Shape[0] != similarities.Shape[1])
            throw new ArgumentException($"expected a square [captions x videos] matrix, got {similarities}", nameof(similarities));
        var diagonal = new int[similarities.Shape[0]];
        for (var i = 0; i < diagonal.Length; i++)
            diagonal[i] = i;
        return FromMatrix(similarities, diagonal, RetrievalSetting.SingleCaption, source);
    }

    /// <summary>Scores 0-based ranks directly (e.g. from ranked lists).</summary>
    public static RetrievalScores FromRanks(IReadOnlyList<int> ranks, RetrievalSetting setting = RetrievalSetting.SingleCaption)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        if (ranks.Count == 0)
            throw new ArgumentException("no rank to score", nameof(ranks));
        var sorted = ranks.ToArray();
        Array.Sort(sorted);
        var n = sorted.Length;
        double median = setting == RetrievalSetting.SingleCaption && n % 2 == 0
            ? (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
            : sorted[(n - 1) / 2];
        long sum = 0;
        int below1 = 0, below5 = 0, below10 = 0;
        foreach (var r in sorted)
        {
            sum += r;
            below1 += r < 1 ? 1 : 0;
            below5 += r < 5 ? 1 : 0;
            below10 += r < 10 ? 1 : 0;
        }
        return setting == RetrievalSetting.SingleCaption
            ? new RetrievalScores(Percent(below1, n), Percent(below5, n), Percent(below10, n), median + 1, (double)sum / n + 1, n)
            : new RetrievalScores(TorchPercent(below1, n), TorchPercent(below5, n), TorchPercent(below10, n), median + 1, (double)(sum + n) / n, n);
    }

    /// <summary><c>compute_metrics</c>' <c>float(np.sum(ind &lt; k)) * 100 / len(ind)</c>, in float64.</summary>
    private static double Percent(int count, int total) => (double)count * 100 / total;

    /// <summary>
    /// <c>tensor_text_to_video_metrics</c>' <c>float(torch.sum(ranks &lt; k) * 100 / len(ranks))</c>: PyTorch divides the
    /// integer tensor in float32 (its default dtype), so the official value is a float32 quotient; it is reproduced.
    /// </summary>
    private static double TorchPercent(int count, int total) => (float)(count * 100L) / (float)total;

    private static void RequireFinite<T>(ReadOnlySpan<T> row, int caption, string? source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var v = 0; v < row.Length; v++)
        {
            if (!T.IsFinite(row[v]))
            {
                var reason = $"the similarity at row {caption}, column {v} (0-based: caption {caption}, video {v}) is {row[v]}, not a finite number; " +
                    "CLIP4Clip's code would silently leave that caption out, so Vireo refuses the matrix";
                throw source is not null ? new DatasetFormatException(source, 0, reason) : new InputException(null, reason);
            }
        }
    }
}
