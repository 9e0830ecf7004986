using Vireo.Research.Datasets;
using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Research.Evaluation;

/// <summary>DiDeMo's R@1, R@5 and mIoU, in percent.</summary>
public sealed record DiDeMoScores(double RecallAt1, double RecallAt5, double MeanIoU, int Queries, int MissingPredictions);

/// <summary>
/// DiDeMo's own evaluation (LocalizingMoments <c>eval.py</c>): each query's windows, best score first, must lie on the
/// 5-second grid (they are turned into segment ranges). Against the annotators' consensus: the rank of each
/// annotator's moment in the list (1-based), averaged over the three best ranks, must be ≤ 1 for R@1 and ≤ 5 for R@5;
/// the top window's IoU with each annotator's moment, averaged over the three highest, gives mIoU. With fewer than
/// three annotators all are used. A moment absent from the list has an infinite rank (the official script requires all
/// 21 moments to be ranked and fails otherwise). Queries without prediction score 0.
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
            var ranked = TemporalNms.SortByScore([.. prediction.Windows]);
            var moments = new List<(int, int)>(ranked.Length);
            foreach (var w in ranked)
            {
                moments.Add(DiDeMo.ToSegments(w.Start, w.End) ?? throw RecordErrors.About(prediction,
                    $"qid {query.QueryId}: window [{w.Start}, {w.End}] is not on DiDeMo's 5-second segment grid (start and end at multiples of 5 seconds)"));
            }
            var top = ranked[0].Window;
            var ious = query.Windows.Select(t => top.IoU(t)).OrderDescending().Take(3).ToArray();
            iouSum += ious.Average();
            var ranks = query.Windows.Select(t =>
            {
                var index = moments.IndexOf(DiDeMo.ToSegments(t.Start, t.End)!.Value);
                return index < 0 ? double.PositiveInfinity : index + 1;
            }).Order().Take(3).ToArray();
            var rank = ranks.Average();
            if (rank <= 1)
                r1++;
            if (rank <= 5)
                r5++;
        }
        var n = groundTruth.Count;
        return n == 0
            ? new DiDeMoScores(0, 0, 0, 0, missing)
            : new DiDeMoScores(100.0 * r1 / n, 100.0 * r5 / n, 100 * iouSum / n, n, missing);
    }
}
