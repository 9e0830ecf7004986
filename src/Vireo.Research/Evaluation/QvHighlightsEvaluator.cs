using System.Text.Json.Nodes;
using Vireo.Research.Datasets;
using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Research.Evaluation;

/// <summary>Options of <see cref="QvHighlightsEvaluator"/>.</summary>
public sealed record QvHighlightsOptions
{
    public static QvHighlightsOptions Default { get; } = new();

    /// <summary>
    /// When true (the official default, <c>match_number=True</c>) the submission and the ground truth must cover the same
    /// queries; when false only the queries present in both are scored.
    /// </summary>
    public bool MatchNumber { get; init; } = true;

    /// <summary>Windows of each query used for mAP, taken in submission order (10, as the official script).</summary>
    public int MaxPredictedWindows { get; init; } = 10;
}

/// <summary>MR-mAP (per threshold and "average") and MR-R1 (per threshold) of one length bucket.</summary>
public sealed record MomentRetrievalScores(IReadOnlyDictionary<string, double> MeanAp, IReadOnlyDictionary<string, double> R1, int Queries);

/// <summary>HL-mAP and HL-Hit1 at one minimum rating.</summary>
public sealed record HighlightScores(double MeanAp, double Hit1);

/// <summary>
/// The result of <see cref="QvHighlightsEvaluator"/>, with the official key names: <see cref="Brief"/> holds
/// <c>MR-full-mAP</c>, <c>MR-full-mAP@0.5</c>, <c>MR-full-mAP@0.75</c>, <c>MR-short-mAP</c>, <c>MR-middle-mAP</c>,
/// <c>MR-long-mAP</c>, <c>MR-full-R1@0.5</c>, <c>MR-full-R1@0.7</c> (sorted by key) then <c>HL-min-Fair-mAP</c>,
/// <c>HL-min-Fair-Hit1</c>, ... <c>HL-min-VeryGood-Hit1</c>; values are percentages rounded to two decimals as the
/// official script rounds them.
/// </summary>
public sealed record QvHighlightsReport(
    IReadOnlyList<KeyValuePair<string, double>> Brief,
    IReadOnlyDictionary<string, MomentRetrievalScores> MomentRetrieval,
    IReadOnlyDictionary<string, HighlightScores> Highlight)
{
    /// <summary>A brief metric by its official name.</summary>
    public double this[string key] => Brief.First(kv => kv.Key == key).Value;

    /// <summary>The official output: <c>{"brief": {...}, "full": {"MR-mAP": {...}, "MR-R1": {...}}, ..., "HL-min-Fair": {...}}</c>.</summary>
    public JsonObject ToOfficialJson()
    {
        var root = new JsonObject();
        var brief = new JsonObject();
        foreach (var (k, v) in Brief)
            brief[k] = v;
        root["brief"] = brief;
        var sections = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (name, scores) in MomentRetrieval)
        {
            sections[name] = new JsonObject
            {
                ["MR-mAP"] = ToJson(scores.MeanAp),
                ["MR-R1"] = ToJson(scores.R1),
            };
        }
        foreach (var (name, scores) in Highlight)
            sections[name] = new JsonObject { ["HL-mAP"] = scores.MeanAp, ["HL-Hit1"] = scores.Hit1 };
        foreach (var (k, v) in sections)
            root[k] = v;
        return root;
    }

    private static JsonObject ToJson(IReadOnlyDictionary<string, double> values)
    {
        var o = new JsonObject();
        foreach (var (k, v) in values)
            o[k] = v;
        return o;
    }
}

/// <summary>
/// QVHighlights moment retrieval and highlight detection, as moment_detr's <c>standalone_eval/eval.py</c> computes
/// them. Conventions confirmed against that script:
/// <list type="bullet">
/// <item>Buckets by ground-truth window length: short (0, 10], middle (10, 30], long (30, 150] seconds keep only the
/// windows in range and drop queries left without one; "full" keeps everything.</item>
/// <item>MR-R1@m: the first submitted window (not the best-scored) against the ground-truth window it overlaps most
/// (by the |a| + |b| − inter IoU), scored with the max(e) − min(s) union as the script does; a hit when IoU ≥ m, m in
/// 0.5, 0.55, ..., 0.95. Inverted windows go through the same arithmetic as in the script.</item>
/// <item>MR-mAP: the first 10 submitted windows, stable-sorted by descending score; at each threshold a window matches
/// the unmatched ground-truth window of highest IoU (ties: the later one) if that IoU ≥ m, each ground-truth window
/// matched once; VOC all-point AP per query, averaged over queries, then over the 10 thresholds ("average"). Queries
/// whose submission has no window are left out of the mAP mean (the script only iterates predicted windows). A
/// zero-length window against a zero-length ground truth divides 0 by 0 in the script and NaN matches at every
/// threshold; this is reproduced.</item>
/// <item>HL: ratings ≥ 2 / 3 / 4 (Fair / Good / VeryGood) are relevant; the video has int(duration / 2) clips and
/// the predicted scores are cut or zero-padded to that length; HL-mAP averages the saliency AP
/// (<see cref="AveragePrecision.Saliency"/>) over queries and the three raters; HL-Hit1 takes the first clip of
/// highest predicted score and counts a hit when any rater finds it relevant (max over raters).</item>
/// <item>Percentages are rounded to two decimals at the same steps as the script (per-threshold values and their
/// average from unrounded means).</item>
/// </list>
/// Where the script fails (a query with no submitted window in R1; ground-truth clip ids beyond the video), Vireo
/// counts a miss or reports the bad record.
/// </summary>
public static class QvHighlightsEvaluator
{
    /// <summary>The bucket names and length ranges (lower bound exclusive, upper inclusive), in the script's order.</summary>
    public static IReadOnlyList<(string Name, double Min, double Max)> Buckets { get; } =
        [("short", 0, 10), ("middle", 10, 30), ("long", 30, 150), ("full", 0, 150)];

    /// <summary>MR thresholds 0.5, 0.55, ..., 0.95.</summary>
    public static IReadOnlyList<double> Thresholds { get; } = [.. Enumerable.Range(0, 10).Select(i => (50 + 5 * i) / 100.0)];

    /// <summary>HL minimum ratings and names.</summary>
    public static IReadOnlyList<(int MinRating, string Name)> SaliencyLevels { get; } = [(2, "Fair"), (3, "Good"), (4, "VeryGood")];

    public static QvHighlightsReport Evaluate(IReadOnlyList<GroundingQuery> groundTruth, IReadOnlyList<GroundingPrediction> submission,
        QvHighlightsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(submission);
        options ??= QvHighlightsOptions.Default;
        var submitted = submission;
        (groundTruth, submission) = Match(groundTruth, submission, options.MatchNumber);
        if (submission.Count == 0)
            throw RecordErrors.AboutSubmission(submitted, "no query of the submission is in the ground truth, so there is nothing to score");
        foreach (var query in groundTruth)
            RecordErrors.RequireGroundTruth(query);

        var buckets = new Dictionary<string, MomentRetrievalScores>(StringComparer.Ordinal);
        foreach (var (name, min, max) in Buckets)
            buckets[name] = MomentRetrieval(groundTruth, submission, min, max, options.MaxPredictedWindows);
        var brief = new List<KeyValuePair<string, double>>
        {
            new("MR-full-mAP", buckets["full"].MeanAp["average"]),
            new("MR-full-mAP@0.5", buckets["full"].MeanAp["0.5"]),
            new("MR-full-mAP@0.75", buckets["full"].MeanAp["0.75"]),
            new("MR-short-mAP", buckets["short"].MeanAp["average"]),
            new("MR-middle-mAP", buckets["middle"].MeanAp["average"]),
            new("MR-long-mAP", buckets["long"].MeanAp["average"]),
            new("MR-full-R1@0.5", buckets["full"].R1["0.5"]),
            new("MR-full-R1@0.7", buckets["full"].R1["0.7"]),
        };
        brief.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));

        var highlight = new Dictionary<string, HighlightScores>(StringComparer.Ordinal);
        if (submission.Any(p => p.SaliencyScores is not null))
        {
            foreach (var (min, name) in SaliencyLevels)
            {
                var scores = HighlightDetection.Evaluate(groundTruth, submission, min);
                highlight[$"HL-min-{name}"] = scores;
                brief.Add(new($"HL-min-{name}-mAP", scores.MeanAp));
                brief.Add(new($"HL-min-{name}-Hit1", scores.Hit1));
            }
        }
        return new QvHighlightsReport(brief, buckets, highlight);
    }

    private static (IReadOnlyList<GroundingQuery>, IReadOnlyList<GroundingPrediction>) Match(
        IReadOnlyList<GroundingQuery> groundTruth, IReadOnlyList<GroundingPrediction> submission, bool matchNumber)
    {
        var gtIds = groundTruth.Select(q => q.QueryId).ToHashSet(StringComparer.Ordinal);
        var predIds = submission.Select(p => p.QueryId).ToHashSet(StringComparer.Ordinal);
        if (gtIds.SetEquals(predIds))
            return (groundTruth, submission);
        if (matchNumber)
        {
            var missing = gtIds.Count(id => !predIds.Contains(id));
            var extra = predIds.Count(id => !gtIds.Contains(id));
            throw RecordErrors.AboutSubmission(submission,
                $"the submission and the ground truth must cover the same queries: {missing} queries have no prediction and {extra} predictions have no ground truth (allow partial submissions, --partial on the command line, to score the common ones)");
        }
        return ([.. groundTruth.Where(q => predIds.Contains(q.QueryId))], [.. submission.Where(p => gtIds.Contains(p.QueryId))]);
    }

    private static MomentRetrievalScores MomentRetrieval(IReadOnlyList<GroundingQuery> groundTruth, IReadOnlyList<GroundingPrediction> submission,
        double min, double max, int maxWindows)
    {
        var full = min == 0 && max == 150;
        var truth = new Dictionary<string, TemporalWindow[]>(groundTruth.Count, StringComparer.Ordinal);
        foreach (var q in groundTruth)
        {
            var windows = full ? [.. q.Windows] : q.Windows.Where(w => w.Length > min && w.Length <= max).ToArray();
            if (windows.Length > 0)
                truth[q.QueryId] = windows;
        }
        var thresholds = Thresholds;
        var apSums = new double[thresholds.Count];
        var apQueries = 0;
        var r1Hits = new long[thresholds.Count];
        var r1Queries = 0;
        var ap = new double[thresholds.Count];
        foreach (var p in submission)
        {
            if (!truth.TryGetValue(p.QueryId, out var gts))
                continue;
            r1Queries++;
            var firstIoU = p.Windows.Count == 0 ? 0 : FirstWindowIoU(p.Windows[0], gts);
            for (var t = 0; t < thresholds.Count; t++)
            {
                if (firstIoU >= thresholds[t])
                    r1Hits[t]++;
            }
            if (p.Windows.Count == 0)
                continue;
            DetectionAp(p.Windows, maxWindows, gts, thresholds, ap);
            for (var t = 0; t < thresholds.Count; t++)
                apSums[t] += ap[t];
            apQueries++;
        }
        var meanAp = new Dictionary<string, double>(StringComparer.Ordinal);
        var r1 = new Dictionary<string, double>(StringComparer.Ordinal);
        double average = 0;
        for (var t = 0; t < thresholds.Count; t++)
        {
            var mean = apQueries == 0 ? double.NaN : apSums[t] / apQueries;
            average += mean;
            meanAp[OfficialRounding.Key(thresholds[t])] = OfficialRounding.Round2(100 * mean);
            r1[OfficialRounding.Key(thresholds[t])] = OfficialRounding.Round2(r1Queries == 0 ? double.NaN : 100.0 * r1Hits[t] / r1Queries);
        }
        meanAp["average"] = OfficialRounding.Round2(100 * average / thresholds.Count);
        return new MomentRetrievalScores(meanAp, r1, r1Queries);
    }

    /// <summary>
    /// <c>compute_mr_r1</c>: the ground-truth window of highest cross IoU (|a| + |b| − inter union; the first maximum, or
    /// the first NaN, as <c>np.argmax</c>), then the paired IoU (max(e) − min(s) union, 0 when it is 0) with that window.
    /// </summary>
    private static double FirstWindowIoU(ScoredWindow window, TemporalWindow[] truths)
    {
        var chosen = 0;
        var best = double.NegativeInfinity;
        for (var j = 0; j < truths.Length; j++)
        {
            var iou = OfficialIoU.MomentDetrCross(window.Start, window.End, truths[j].Start, truths[j].End);
            if (double.IsNaN(iou))
            {
                chosen = j;
                break;
            }
            if (iou > best)
                (best, chosen) = (iou, j);
        }
        var t = truths[chosen];
        return OfficialIoU.MomentDetrPaired(window.Start, window.End, t.Start, t.End);
    }

    /// <summary>AP per threshold of one query's windows (first <paramref name="maxWindows"/> as submitted, then by score).</summary>
    internal static void DetectionAp(IReadOnlyList<ScoredWindow> submitted, int maxWindows, TemporalWindow[] truths, IReadOnlyList<double> thresholds, Span<double> ap)
    {
        var count = Math.Min(submitted.Count, maxWindows);
        Span<ScoredWindow> cut = count <= 64 ? stackalloc ScoredWindow[count] : new ScoredWindow[count];
        for (var i = 0; i < count; i++)
            cut[i] = submitted[i];
        var ranked = TemporalNms.SortByScore(cut);
        var g = truths.Length;
        // IoU of each ranked window with each truth; NaN where both are zero-length (the script's 0/0).
        Span<double> iou = count * g <= 512 ? stackalloc double[count * g] : new double[count * g];
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < g; j++)
            {
                var (w, t) = (ranked[i], truths[j]);
                var inter = Math.Max(0, Math.Min(w.End, t.End) - Math.Max(w.Start, t.Start));
                var union = (w.End - w.Start) + (t.End - t.Start) - inter;
                iou[i * g + j] = union == 0 ? double.NaN : inter / union;
            }
        }
        Span<bool> locked = g <= 256 ? stackalloc bool[g] : new bool[g];
        Span<bool> hit = count <= 256 ? stackalloc bool[count] : new bool[count];
        for (var t = 0; t < thresholds.Count; t++)
        {
            locked.Clear();
            for (var i = 0; i < count; i++)
            {
                var best = BestUnlocked(iou.Slice(i * g, g), locked);
                hit[i] = best >= 0 && (double.IsNaN(iou[i * g + best]) || iou[i * g + best] >= thresholds[t]);
                if (hit[i])
                    locked[best] = true;
            }
            ap[t] = AveragePrecision.Interpolated(hit[..count], g);
        }
    }

    /// <summary>
    /// The truth the script's loop would reach first among the unlocked ones: IoU descending, NaN first (argsort puts NaN
    /// last, then reverses), ties to the higher index. The script stops at the first truth below the threshold even if
    /// later (lower) ones are unlocked, which is the same as taking the best unlocked truth.
    /// </summary>
    private static int BestUnlocked(ReadOnlySpan<double> ious, ReadOnlySpan<bool> locked)
    {
        var best = -1;
        for (var j = 0; j < ious.Length; j++)
        {
            if (locked[j])
                continue;
            if (best < 0 || Better(ious[j], ious[best]))
                best = j;
        }
        return best;
    }

    private static bool Better(double candidate, double incumbent)
    {
        if (double.IsNaN(candidate))
            return true;
        return !double.IsNaN(incumbent) && candidate >= incumbent;
    }
}
