using Vireo.Research.Datasets;
using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Research.Evaluation;

/// <summary>How Vireo's own protocol decides a hit for R@n, IoU=m (used when no official protocol is chosen).</summary>
public enum IouConvention
{
    /// <summary>
    /// Otani et al.'s reading of 2D-TAN: windows, best score first, go through temporal NMS (suppress IoU &gt; the NMS
    /// threshold, keep at most max n), then a query is a hit at (n, m) when one of the first n has IoU &gt; m, strictly;
    /// the ground truth as annotated, IoU = |a ∩ b| / (|a| + |b| − |a ∩ b|).
    /// </summary>
    StrictWithNms,

    /// <summary>IoU ≥ m, no NMS, the first n windows by score; the ground truth as annotated.</summary>
    Inclusive,
}

/// <summary>Options of <see cref="GroundingMetrics"/>.</summary>
public sealed record GroundingMetricOptions
{
    public static GroundingMetricOptions Default { get; } = new();

    /// <summary>
    /// The official code to reproduce (<see cref="EvaluationProtocol.TwoDTan"/> or <see cref="EvaluationProtocol.VslNet"/>),
    /// or null for Vireo's own protocol in <see cref="Convention"/>.
    /// </summary>
    public EvaluationProtocol? Protocol { get; init; }

    /// <summary>Vireo's own protocol, used when <see cref="Protocol"/> is null.</summary>
    public IouConvention Convention { get; init; } = IouConvention.StrictWithNms;

    /// <summary>NMS threshold of 2D-TAN and of <see cref="IouConvention.StrictWithNms"/> (0.5 by default, as 2D-TAN's configurations).</summary>
    public double NmsThreshold { get; init; } = 0.5;

    /// <summary>The n of R@n (1 and 5 by default).</summary>
    public IReadOnlyList<int> RecallAt { get; init; } = [1, 5];

    /// <summary>The m of IoU=m (0.3, 0.5 and 0.7 by default; TACoS papers also report 0.1).</summary>
    public IReadOnlyList<double> IouThresholds { get; init; } = [0.3, 0.5, 0.7];

    /// <summary>True when a hit needs IoU &gt; m (2D-TAN, Vireo's strict convention), false for IoU ≥ m.</summary>
    public bool StrictHit => Protocol is { } p ? p == EvaluationProtocol.TwoDTan : Convention == IouConvention.StrictWithNms;

    /// <summary>True when windows go through NMS before the first n are taken.</summary>
    public bool UsesNms => StrictHit;

    /// <summary>A short description of the protocol, for reports.</summary>
    public string Describe() => Protocol switch
    {
        EvaluationProtocol.TwoDTan => $"2D-TAN protocol: ground truth clipped to the video, IoU > m after 2D-TAN's NMS {NmsThreshold}",
        EvaluationProtocol.VslNet => "VSLNet protocol: ground truth clipped to [0, duration], IoU >= m, no NMS",
        null when Convention == IouConvention.StrictWithNms => $"Vireo strict convention: ground truth as annotated, IoU > m after NMS {NmsThreshold}",
        null => "Vireo inclusive convention: ground truth as annotated, IoU >= m, no NMS",
        var other => throw new ArgumentException($"{other} does not score R@n,IoU=m"),
    };
}

/// <summary>R@n, IoU=m as a percentage.</summary>
public sealed record RecallAtIou(int N, double Iou, double Percent)
{
    /// <summary>The name papers use, e.g. <c>R@1,IoU=0.5</c>.</summary>
    public string Name => $"R@{N},IoU={OfficialRounding.Key(Iou)}";
}

/// <summary>
/// Scores of a grounding run: R@n, IoU=m for every (n, m), mIoU of the top window, the queries scored, those without
/// a prediction, and those the protocol's ground-truth preparation leaves out (2D-TAN drops queries whose start is not
/// before their end).
/// </summary>
public sealed record GroundingScores(IReadOnlyList<RecallAtIou> Recalls, double MeanIoU, int Queries, int MissingPredictions, IouConvention Convention)
{
    /// <summary>The official protocol reproduced, or null for Vireo's own <see cref="Convention"/>.</summary>
    public EvaluationProtocol? Protocol { get; init; }

    /// <summary>Queries of the annotation file that the protocol's ground-truth preparation leaves out.</summary>
    public int ExcludedQueries { get; init; }

    /// <summary>R@n, IoU=m by n and m.</summary>
    public double Recall(int n, double iou) =>
        Recalls.FirstOrDefault(r => r.N == n && Math.Abs(r.Iou - iou) < 1e-9)?.Percent ?? throw new KeyNotFoundException($"R@{n},IoU={iou} was not computed");
}

/// <summary>
/// R@n, IoU=m and mIoU for Charades-STA, TACoS, ActivityNet Captions, as the official code of the chosen
/// <see cref="EvaluationProtocol"/> computes them (<see cref="OfficialGroundTruth"/> prepares the ground truth,
/// <see cref="OfficialIoU"/> and <see cref="TwoDTanNms"/> score), or in Vireo's own <see cref="IouConvention"/>. A
/// query's windows are ranked by score, ties in file order; mIoU is the mean IoU of each query's top window (2D-TAN:
/// NaN when a top window's IoU is 0/0, as NumPy's mean gives). Queries without a prediction, or with an empty one,
/// count as misses with IoU 0 (the official scripts would stop with an error); predictions for unknown queries are
/// ignored. R@n for n &gt; 1 under VSLNet (whose code reports R@1 only) takes the first n windows by score.
/// </summary>
public static class GroundingMetrics
{
    /// <summary>Scores a benchmark's split: the protocol's ground-truth preparation applies (it needs the benchmark's name).</summary>
    public static GroundingScores Evaluate(GroundingDataset truth, IReadOnlyDictionary<string, GroundingPrediction> predictions,
        GroundingMetricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(truth);
        options ??= GroundingMetricOptions.Default;
        if (options.Protocol is not { } protocol)
            return Evaluate(truth.Queries, predictions, options);
        var prepared = new List<(GroundingQuery, TruthSpan[])>(truth.Queries.Count);
        var excluded = 0;
        foreach (var query in truth.Queries)
        {
            if (OfficialGroundTruth.Prepare(protocol, truth.Name, query) is { } span)
                prepared.Add((query, [span]));
            else
                excluded++;
        }
        return Score(prepared, predictions, options) with { ExcludedQueries = excluded };
    }

    /// <summary>Scores queries with their ground truth as annotated, in Vireo's own convention (the options' protocol must be null).</summary>
    public static GroundingScores Evaluate(IReadOnlyList<GroundingQuery> groundTruth, IReadOnlyDictionary<string, GroundingPrediction> predictions,
        GroundingMetricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        options ??= GroundingMetricOptions.Default;
        if (options.Protocol is { } protocol)
            throw new ArgumentException($"the {EvaluationProtocols.Name(protocol)} protocol prepares the ground truth per benchmark: pass the GroundingDataset", nameof(options));
        var prepared = new List<(GroundingQuery, TruthSpan[])>(groundTruth.Count);
        foreach (var query in groundTruth)
        {
            RecordErrors.RequireGroundTruth(query);
            var spans = new TruthSpan[query.Windows.Count];
            for (var i = 0; i < spans.Length; i++)
                spans[i] = new TruthSpan(query.Windows[i].Start, query.Windows[i].End);
            prepared.Add((query, spans));
        }
        return Score(prepared, predictions, options);
    }

    /// <summary>The windows as the protocol ranks them: by score (stable), then the protocol's NMS where it has one.</summary>
    public static ScoredWindow[] Rank(IReadOnlyList<ScoredWindow> windows, GroundingMetricOptions options, int maxCount)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(options);
        var sorted = TemporalNms.SortByScore(windows as ScoredWindow[] ?? [.. windows]);
        if (!options.UsesNms)
            return sorted;
        return options.Protocol == EvaluationProtocol.TwoDTan
            ? TwoDTanNms.Apply(sorted, options.NmsThreshold, maxCount)
            : TemporalNms.ApplySorted(sorted, options.NmsThreshold, maxCount);
    }

    private static GroundingScores Score(List<(GroundingQuery Query, TruthSpan[] Truth)> prepared, IReadOnlyDictionary<string, GroundingPrediction> predictions,
        GroundingMetricOptions options)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var ns = options.RecallAt.ToArray();
        var ms = options.IouThresholds.ToArray();
        var maxN = ns.Max();
        var strict = options.StrictHit;
        var hits = new long[ns.Length * ms.Length];
        var ious = new double[maxN];
        double iouSum = 0;
        var missing = 0;
        foreach (var (query, truth) in prepared)
        {
            if (!predictions.TryGetValue(query.QueryId, out var prediction) || prediction.Windows.Count == 0)
            {
                missing++;
                continue;
            }
            var ranked = Rank(prediction.Windows, options, maxN);
            var count = Math.Min(ranked.Length, maxN);
            for (var i = 0; i < count; i++)
                ious[i] = IoU(ranked[i], truth, options.Protocol, prediction);
            iouSum += ious[0];
            for (var a = 0; a < ns.Length; a++)
            {
                for (var b = 0; b < ms.Length; b++)
                {
                    var first = Math.Min(ns[a], count);
                    for (var i = 0; i < first; i++)
                    {
                        if (strict ? ious[i] > ms[b] : ious[i] >= ms[b])
                        {
                            hits[a * ms.Length + b]++;
                            break;
                        }
                    }
                }
            }
        }
        var total = prepared.Count;
        var recalls = new List<RecallAtIou>(hits.Length);
        for (var a = 0; a < ns.Length; a++)
        {
            for (var b = 0; b < ms.Length; b++)
                recalls.Add(new RecallAtIou(ns[a], ms[b], total == 0 ? 0 : (double)hits[a * ms.Length + b] / total * 100.0));
        }
        return new GroundingScores(recalls, total == 0 ? 0 : iouSum / total * 100.0, total, missing, options.Convention) { Protocol = options.Protocol };
    }

    private static double IoU(ScoredWindow window, TruthSpan[] truth, EvaluationProtocol? protocol, GroundingPrediction prediction)
    {
        switch (protocol)
        {
            case EvaluationProtocol.TwoDTan:
                return OfficialIoU.TwoDTan(window.Start, window.End, truth[0].Start, truth[0].End);
            case EvaluationProtocol.VslNet:
                return OfficialIoU.VslNet(window.Start, window.End, truth[0].Start, truth[0].End) ?? throw RecordErrors.About(prediction,
                    $"qid {prediction.QueryId}: window [{window.Start:R}, {window.End:R}] and the ground truth [{truth[0].Start:R}, {truth[0].End:R}] " +
                    "have a union of length 0, where VSLNet's calculate_iou divides by zero and stops");
            default:
                double best = 0;
                foreach (var t in truth)
                    best = Math.Max(best, TemporalWindow.IoUOf(window.Start, window.End, t.Start, t.End));
                return best;
        }
    }
}
