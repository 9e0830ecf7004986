using Vireo.Research.Datasets;
using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Research.Evaluation;

/// <summary>How R@n, IoU=m decides a hit.</summary>
public enum IouConvention
{
    /// <summary>
    /// 2D-TAN (<c>lib/core/eval.py</c>), and Otani et al.: the windows, best score first, go through temporal NMS
    /// (suppress IoU &gt; the NMS threshold, keep at most max n), then a query is a hit at (n, m) when one of the first n
    /// has IoU &gt; m, strictly. The default.
    /// </summary>
    StrictWithNms,

    /// <summary>
    /// VSLNet (<c>calculate_iou_accuracy</c>) and moment_detr's R1: IoU ≥ m, no NMS, the first n windows by score.
    /// </summary>
    Inclusive,
}

/// <summary>Options of <see cref="GroundingMetrics"/>.</summary>
public sealed record GroundingMetricOptions
{
    public static GroundingMetricOptions Default { get; } = new();

    public IouConvention Convention { get; init; } = IouConvention.StrictWithNms;

    /// <summary>NMS threshold of <see cref="IouConvention.StrictWithNms"/> (0.5 by default, as 2D-TAN's configurations).</summary>
    public double NmsThreshold { get; init; } = 0.5;

    /// <summary>The n of R@n (1 and 5 by default).</summary>
    public IReadOnlyList<int> RecallAt { get; init; } = [1, 5];

    /// <summary>The m of IoU=m (0.3, 0.5 and 0.7 by default; TACoS papers also report 0.1).</summary>
    public IReadOnlyList<double> IouThresholds { get; init; } = [0.3, 0.5, 0.7];
}

/// <summary>R@n, IoU=m as a percentage.</summary>
public sealed record RecallAtIou(int N, double Iou, double Percent)
{
    /// <summary>The name papers use, e.g. <c>R@1,IoU=0.5</c>.</summary>
    public string Name => $"R@{N},IoU={OfficialRounding.Key(Iou)}";
}

/// <summary>Scores of a grounding run: R@n, IoU=m for every (n, m), mIoU of the top window, and coverage.</summary>
public sealed record GroundingScores(IReadOnlyList<RecallAtIou> Recalls, double MeanIoU, int Queries, int MissingPredictions, IouConvention Convention)
{
    /// <summary>R@n, IoU=m by n and m.</summary>
    public double Recall(int n, double iou) =>
        Recalls.FirstOrDefault(r => r.N == n && Math.Abs(r.Iou - iou) < 1e-9)?.Percent ?? throw new KeyNotFoundException($"R@{n},IoU={iou} was not computed");
}

/// <summary>
/// R@n, IoU=m and mIoU for Charades-STA, TACoS, ActivityNet Captions (and any single-answer benchmark), in either
/// <see cref="IouConvention"/>. Per query, the IoU of a window is its largest IoU with any ground-truth window (the
/// official scripts have exactly one); mIoU is the mean IoU of each query's best-scored window. Queries without a
/// prediction, or with an empty one, count as misses with IoU 0 (the official scripts would stop with an error);
/// predictions for unknown queries are ignored. Windows are scored as given, not clipped to the video.
/// </summary>
public static class GroundingMetrics
{
    public static GroundingScores Evaluate(IReadOnlyList<GroundingQuery> groundTruth, IReadOnlyDictionary<string, GroundingPrediction> predictions,
        GroundingMetricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(predictions);
        options ??= GroundingMetricOptions.Default;
        var ns = options.RecallAt.ToArray();
        var ms = options.IouThresholds.ToArray();
        var maxN = ns.Max();
        var hits = new long[ns.Length * ms.Length];
        var ious = new double[maxN];
        double iouSum = 0;
        var missing = 0;
        foreach (var query in groundTruth)
        {
            RecordErrors.RequireGroundTruth(query);
            if (!predictions.TryGetValue(query.QueryId, out var prediction) || prediction.Windows.Count == 0)
            {
                missing++;
                continue;
            }
            var ranked = Rank(prediction.Windows, options, maxN);
            var count = Math.Min(ranked.Length, maxN);
            for (var i = 0; i < count; i++)
                ious[i] = BestIoU(ranked[i], query.Windows);
            iouSum += ious[0];
            for (var a = 0; a < ns.Length; a++)
            {
                for (var b = 0; b < ms.Length; b++)
                {
                    for (var i = 0; i < Math.Min(ns[a], count); i++)
                    {
                        if (options.Convention == IouConvention.StrictWithNms ? ious[i] > ms[b] : ious[i] >= ms[b])
                        {
                            hits[a * ms.Length + b]++;
                            break;
                        }
                    }
                }
            }
        }
        var total = groundTruth.Count;
        var recalls = new List<RecallAtIou>(hits.Length);
        for (var a = 0; a < ns.Length; a++)
        {
            for (var b = 0; b < ms.Length; b++)
                recalls.Add(new RecallAtIou(ns[a], ms[b], total == 0 ? 0 : 100.0 * hits[a * ms.Length + b] / total));
        }
        return new GroundingScores(recalls, total == 0 ? 0 : 100 * iouSum / total, total, missing, options.Convention);
    }

    /// <summary>The windows as the convention ranks them: by score (stable), then NMS for the strict convention.</summary>
    public static ScoredWindow[] Rank(IReadOnlyList<ScoredWindow> windows, GroundingMetricOptions options, int maxCount)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(options);
        var sorted = TemporalNms.SortByScore(windows as ScoredWindow[] ?? [.. windows]);
        return options.Convention == IouConvention.StrictWithNms ? TemporalNms.ApplySorted(sorted, options.NmsThreshold, maxCount) : sorted;
    }

    private static double BestIoU(ScoredWindow window, IReadOnlyList<TemporalWindow> truths)
    {
        double best = 0;
        foreach (var t in truths)
            best = Math.Max(best, TemporalWindow.IoUOf(window.Start, window.End, t.Start, t.End));
        return best;
    }
}
