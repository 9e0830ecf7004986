using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Tests.Evaluation;

/// <summary>QVHighlights metrics computed by hand, following standalone_eval/eval.py step by step.</summary>
public class QvHighlightsEvaluatorTests
{
    private static GroundingQuery Q(string id, params TemporalWindow[] windows) => new(id, "v" + id, 150, "s", windows);

    private static GroundingPrediction P(string id, params ScoredWindow[] windows) => new(id, windows);

    // A: two 10-s windows (short). B: 5 s (short). C: 40 s (long), no prediction. D: 20 s (middle). E: 150 s (long).
    private static readonly GroundingQuery[] Truth =
    [
        Q("A", new TemporalWindow(0, 10), new TemporalWindow(20, 30)),
        Q("B", new TemporalWindow(40, 45)),
        Q("C", new TemporalWindow(100, 140)),
        Q("D", new TemporalWindow(0, 20)),
        Q("E", new TemporalWindow(0, 150)),
    ];

    private static readonly GroundingPrediction[] Submission =
    [
        // R1 reads the FIRST window ([0,10], IoU 1), not the best-scored. mAP ranks by score:
        // [20,28] (IoU 0.8 with [20,30]) tp, [50,60] fp, [0,10] tp, duplicate [0,10] fp (its truth is taken):
        // AP = 0.5·1 + 0.5·(2/3) = 0.8333 for m ≤ 0.8; above 0.8 only [0,10] hits at rank 3: AP = 0.5·(1/3) = 0.1667.
        P("A", new ScoredWindow(0, 10, 0.5), new ScoredWindow(20, 28, 0.9), new ScoredWindow(0, 10, 0.4), new ScoredWindow(50, 60, 0.8)),
        P("B", new ScoredWindow(41, 45, 0.7)),                     // IoU 0.8: AP 1 for m ≤ 0.8, else 0
        P("C"),                                       // empty: R1 miss, left out of the mAP mean
        P("D", new ScoredWindow(0, 20, 1), new ScoredWindow(0, 20, 1)),         // duplicate: tp then fp, AP 1
        P("E", new ScoredWindow(0, 75, 1)),                        // IoU 0.5: AP 1 at m = 0.5 only
    ];

    [Fact]
    public void Moment_retrieval_by_hand()
    {
        var report = QvHighlightsEvaluator.Evaluate(Truth, Submission);

        // full, per threshold over A, B, D, E: m=0.5: (0.8333+1+1+1)/4; 0.55..0.8: (0.8333+1+1+0)/4; 0.85..0.95: (0.1667+0+1+0)/4.
        Assert.Equal(95.83, report["MR-full-mAP@0.5"]);
        Assert.Equal(70.83, report["MR-full-mAP@0.75"]);
        Assert.Equal(29.17, report.MomentRetrieval["full"].MeanAp["0.9"]);
        Assert.Equal(60.83, report["MR-full-mAP"]);                 // (0.9583 + 6·0.7083 + 3·0.2917) / 10
        Assert.Equal(80, report["MR-full-R1@0.5"]);                 // A, B, D, E of 5
        Assert.Equal(60, report["MR-full-R1@0.7"]);                 // A, B, D
        Assert.Equal(40, report.MomentRetrieval["full"].R1["0.85"]); // A, D
        Assert.Equal(66.67, report["MR-short-mAP"]);                // A, B: (7·0.9167 + 3·0.0833) / 10
        Assert.Equal(100, report["MR-middle-mAP"]);                 // D
        Assert.Equal(10, report["MR-long-mAP"]);                    // E (C has no window): 1 at m = 0.5 only
        Assert.Equal(50, report.MomentRetrieval["long"].R1["0.5"]); // C miss, E hit
        Assert.Equal(2, report.MomentRetrieval["long"].Queries);
        Assert.Equal(
            ["MR-full-R1@0.5", "MR-full-R1@0.7", "MR-full-mAP", "MR-full-mAP@0.5", "MR-full-mAP@0.75", "MR-long-mAP", "MR-middle-mAP", "MR-short-mAP"],
            report.Brief.Select(kv => kv.Key));
        Assert.Empty(report.Highlight);
    }

    [Fact]
    public void Official_json_layout()
    {
        var json = QvHighlightsEvaluator.Evaluate(Truth, Submission).ToOfficialJson();

        Assert.Equal(["brief", "full", "long", "middle", "short"], json.Select(kv => kv.Key));
        Assert.Equal(60.83, (double)json["brief"]!["MR-full-mAP"]!);
        var full = json["full"]!;
        Assert.Equal(["0.5", "0.55", "0.6", "0.65", "0.7", "0.75", "0.8", "0.85", "0.9", "0.95", "average"], full["MR-mAP"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal(80, (double)full["MR-R1"]!["0.5"]!);
    }

    [Fact]
    public void Only_the_first_ten_submitted_windows_count_for_map()
    {
        // Ten wrong windows, then the right one with the highest score: cut before sorting, so AP is 0.
        var windows = Enumerable.Range(0, 10).Select(i => new ScoredWindow(100 + i, 101 + i, 0.1)).Append(new ScoredWindow(40, 45, 1)).ToArray();

        var report = QvHighlightsEvaluator.Evaluate([Q("B", new TemporalWindow(40, 45))], [P("B", windows)]);

        Assert.Equal(0, report["MR-full-mAP"]);
    }

    [Fact]
    public void Zero_length_windows_follow_the_script()
    {
        // Both zero-length: the script's 0/0 is NaN, which matches at every threshold in mAP; R1 sees IoU 0.
        var report = QvHighlightsEvaluator.Evaluate([Q("Z", new TemporalWindow(10, 10))], [P("Z", new ScoredWindow(30, 30, 1))]);

        Assert.Equal(100, report["MR-full-mAP"]);
        Assert.Equal(0, report["MR-full-R1@0.5"]);
    }

    [Fact]
    public void Score_ties_keep_submission_order_and_windows_past_the_end_are_not_clipped()
    {
        // Video of 150 s; [140,160] reaches past the end: IoU with [140,150] is 10 / 20 = 0.5, unclipped.
        // Equal scores: the wrong window, submitted first, stays first: precision 1/2 at full recall → AP 0.5 at m = 0.5.
        var report = QvHighlightsEvaluator.Evaluate([Q("T", new TemporalWindow(140, 150))], [P("T", new ScoredWindow(0, 10, 1), new ScoredWindow(140, 160, 1))]);

        Assert.Equal(50, report["MR-full-mAP@0.5"]);
        Assert.Equal(5, report["MR-full-mAP"]);
        Assert.Equal(0, report["MR-full-R1@0.5"]);   // the first submitted window misses
        var swapped = QvHighlightsEvaluator.Evaluate([Q("T", new TemporalWindow(140, 150))], [P("T", new ScoredWindow(140, 160, 1), new ScoredWindow(0, 10, 1))]);
        Assert.Equal(100, swapped["MR-full-mAP@0.5"]);
        Assert.Equal(100, swapped["MR-full-R1@0.5"]);
        Assert.Equal(0, swapped["MR-full-R1@0.7"]);
    }

    [Fact]
    public void Equal_iou_ties_go_to_the_later_truth()
    {
        // [2,8] has IoU 0.5 with both [0,6] and [4,10]; the script's reversed argsort tries the later truth first.
        // At m = 0.5 it locks [4,10], so [0,6] (IoU 1 with [0,6], 0.2 with [4,10]) still hits: AP 1 (locking [0,6]
        // instead would leave 0.5). At m = 0.9 [2,8] misses and [0,6] hits at rank 2: AP 0.5·0.5.
        var ap = new double[2];
        QvHighlightsEvaluator.DetectionAp([new(2, 8, 1), new(0, 6, 0.5)], 10, [new(0, 6), new(4, 10)], [0.5, 0.9], ap);

        Assert.Equal(1, ap[0], 12);
        Assert.Equal(0.25, ap[1], 12);
    }

    [Fact]
    public void Mismatched_query_sets_need_partial_mode()
    {
        Assert.Equal(Vireo.Errors.ErrorKind.Input, Assert.ThrowsAny<Vireo.Errors.VireoException>(() => QvHighlightsEvaluator.Evaluate(Truth, Submission[..2])).Kind);

        var partial = QvHighlightsEvaluator.Evaluate(Truth, Submission[..2], new QvHighlightsOptions { MatchNumber = false });

        Assert.Equal(100, partial["MR-full-R1@0.5"]);
    }

    [Fact]
    public void Highlight_detection_by_hand()
    {
        // H: 10 s → 5 clips; ratings per clip (3 raters): 0:[0,0,0] 1:[4,2,0] 2:[3,3,1] 3:[0,0,0] 4:[1,4,2].
        // K: 4 s → 2 clips; clip 0 rated [2,2,2].
        GroundingQuery[] truth =
        [
            new("H", "vh", 10, "s", [new(2, 6)]) { Saliency = new([1, 2, 4], [[4, 2, 0], [3, 3, 1], [1, 4, 2]]) },
            new("K", "vk", 4, "s", [new(0, 2)]) { Saliency = new([0], [[2, 2, 2]]) },
        ];
        GroundingPrediction[] submission =
        [
            new("H", [new(2, 6, 1)]) { SaliencyScores = [0.1, 0.9, 0.5, 0.5, 0.2, 0.7] }, // 6 scores: cut to 5 clips
            new("K", [new(0, 2, 1)]) { SaliencyScores = [0.3] },                          // 1 score: zero-padded to 2
        ];

        var report = QvHighlightsEvaluator.Evaluate(truth, submission);

        // Fair (≥2): H raters AP 0.8333, 0.8333, 0.25; K raters 1, 1, 1 → 4.9167 / 6.
        Assert.Equal(81.94, report["HL-min-Fair-mAP"]);
        Assert.Equal(100, report["HL-min-Fair-Hit1"]);
        // Good (≥3): H 0.8333, 0.5 (tie block [clip2 relevant, clip3 not] at 0.5), 0; K none relevant → 0.
        Assert.Equal(22.22, report["HL-min-Good-mAP"]);
        Assert.Equal(50, report["HL-min-Good-Hit1"]);
        // VeryGood (≥4): H 1, 0.25, 0; K 0.
        Assert.Equal(20.83, report["HL-min-VeryGood-mAP"]);
        Assert.Equal(50, report["HL-min-VeryGood-Hit1"]);
        Assert.Equal(["HL-min-Fair-mAP", "HL-min-Fair-Hit1", "HL-min-Good-mAP", "HL-min-Good-Hit1", "HL-min-VeryGood-mAP", "HL-min-VeryGood-Hit1"],
            report.Brief.Skip(8).Select(kv => kv.Key));
        Assert.Equal(81.94, (double)report.ToOfficialJson()["HL-min-Fair"]!["HL-mAP"]!);
    }
}

public class AveragePrecisionTests
{
    [Fact]
    public void Saliency_ap_counts_a_tie_block_once()
    {
        // Scores 0.9 | 0.5 0.5 0.5 with relevance 1 | 1 1 0: thresholds 0.9 (P=1, new recall) and 0.5 (P=3/4, new recall)
        // → mean(1, 0.75) = 0.875 (a per-item AP would give 1/3 + 2/3·0.75 = 0.8333).
        Assert.Equal(0.875, AveragePrecision.Saliency([true, true, true, false], [0.9, 0.5, 0.5, 0.5]), 12);
    }

    [Fact]
    public void Saliency_ap_edge_cases()
    {
        Assert.Equal(1, AveragePrecision.Saliency([true, true], [0, 0]));
        Assert.Equal(0, AveragePrecision.Saliency([false, false], [1, 0]));
        Assert.Equal(0.5, AveragePrecision.Saliency([true, false, true, false], [0.5, 0.5, 0.5, 0.5]), 12);
    }

    [Fact]
    public void Voc_all_point_interpolation()
    {
        // hits at ranks 1 and 3 of 4, two truths: 0.5·1 + 0.5·(2/3).
        Assert.Equal(0.5 + 1.0 / 3, AveragePrecision.Interpolated([true, false, true, false], 2), 12);
        // a truth never found caps recall at 0.5.
        Assert.Equal(0.5, AveragePrecision.Interpolated([true], 2), 12);
        Assert.Equal(0, AveragePrecision.Interpolated([], 2));
    }
}
