using Vireo.Research.Datasets;
using Vireo.Temporal;

namespace Vireo.Research.Evaluation;

/// <summary>DiDeMo's R@1, R@5 and mIoU, in percent.</summary>
public sealed record DiDeMoScores(double RecallAt1, double RecallAt5, double MeanIoU, int Queries, int MissingPredictions);

/// <summary>
/// DiDeMo's own evaluation (LocalizingMoments <c>utils/eval.py</c>). A query's windows, best score first (ties in file
/// order), become segment pairs (start / 5, end / 5 − 1): both ends must be multiples of 5 seconds, and a zero-length
/// or inverted window is kept as the pair it gives ([10, 10] is (2, 1)), as the official code would score such a pair.
/// Against the annotators: the rank of each annotator's moment in the list (1-based, first occurrence), averaged over
/// the three best ranks, must be ≤ 1 for R@1 and ≤ 5 for R@5; the top window's IoU with each annotator's moment (on
/// segment indices, <see cref="OfficialIoU.DiDeMo"/>), averaged over the three highest, gives mIoU. With fewer than
/// three annotators all are used. A moment absent from the list has an infinite rank (the official script requires all
/// 21 moments to be ranked and stops otherwise). Queries without prediction score 0.
/// </summary>
public static class DiDeMoEvaluator
{
    public static DiDeMoScores Evaluate(IReadOnlyList<GroundingQuery> groundTruth, IReadOnlyDictionary<string, GroundingPrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(predictions);
        int r1 = 0, r5 = 0, missing = 0;
        double iouSum = 0;
        foreach (var query in groundTruth)
        {
            RecordErrors.RequireGroundTruth(query);
            if (!predictions.TryGetValue(query.QueryId, out var prediction) || prediction.Windows.Count == 0)
            {
                missing++;
                continue;
            }
            var moments = RankedSegments(prediction);
            var truths = new (int, int)[query.Windows.Count];
            for (var i = 0; i < truths.Length; i++)
            {
                truths[i] = DiDeMo.ToGridPair(query.Windows[i].Start, query.Windows[i].End)
                    ?? throw RecordErrors.About(query, $"annotation {query.QueryId}: ground truth {query.Windows[i]} is not on the 5-second grid");
            }
            iouSum += MeanOfBestThree(truths, moments[0]);
            var rank = MeanOfLowestThreeRanks(truths, moments);
            if (rank <= 1)
                r1++;
            if (rank <= 5)
                r5++;
        }
        var n = groundTruth.Count;
        return n == 0
            ? new DiDeMoScores(0, 0, 0, 0, missing)
            : new DiDeMoScores((double)r1 / n * 100, (double)r5 / n * 100, iouSum / n * 100, n, missing);
    }

    private static (int Start, int End)[] RankedSegments(GroundingPrediction prediction)
    {
        var ranked = TemporalNms.SortByScore([.. prediction.Windows]);
        var moments = new (int, int)[ranked.Length];
        for (var i = 0; i < ranked.Length; i++)
        {
            var w = ranked[i];
            moments[i] = DiDeMo.ToGridPair(w.Start, w.End) ?? throw RecordErrors.About(prediction,
                $"qid {prediction.QueryId}: window [{w.Start:R}, {w.End:R}] is not on DiDeMo's 5-second grid: its start and its end must both be " +
                "multiples of 5 seconds, because the DiDeMo evaluation ranks segment moments");
        }
        return moments;
    }

    /// <summary><c>np.mean(np.sort(ious)[-3:])</c>: the three highest IoUs of the top moment, summed in ascending order.</summary>
    private static double MeanOfBestThree((int, int)[] truths, (int, int) top)
    {
        Span<double> ious = stackalloc double[truths.Length];
        for (var i = 0; i < truths.Length; i++)
            ious[i] = OfficialIoU.DiDeMo(top, truths[i]);
        ious.Sort();
        var best = ious[Math.Max(0, ious.Length - 3)..];
        double sum = 0;
        foreach (var v in best)
            sum += v;
        return sum / best.Length;
    }

    /// <summary><c>np.mean(np.sort(ranks)[:3])</c> with <c>ranks = [pred.index(t) + 1 for t in times]</c>; absent moments rank +∞.</summary>
    private static double MeanOfLowestThreeRanks((int, int)[] truths, (int, int)[] moments)
    {
        Span<double> ranks = stackalloc double[truths.Length];
        for (var i = 0; i < truths.Length; i++)
        {
            var index = Array.IndexOf(moments, truths[i]);
            ranks[i] = index < 0 ? double.PositiveInfinity : index + 1;
        }
        ranks.Sort();
        var lowest = ranks[..Math.Min(3, ranks.Length)];
        double sum = 0;
        foreach (var v in lowest)
            sum += v;
        return sum / lowest.Length;
    }
}
