using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Tests.Evaluation;

/// <summary>R@n, IoU=m and mIoU by hand, in both conventions.</summary>
public class GroundingMetricsTests
{
    private static GroundingQuery Query(string id, double start, double end, double duration = 40) =>
        new(id, "v" + id, duration, "s", [new TemporalWindow(start, end)]);

    private static readonly GroundingQuery[] Truth =
    [
        Query("0", 0, 10),
        Query("1", 20, 30),
        Query("2", 5, 6),
        Query("3", 10, 20),
        Query("4", 0, 5, duration: 10),
        Query("5", 0, 10),
    ];

    private static Dictionary<string, GroundingPrediction> Predictions() => new[]
    {
        // IoU 0.5 (exactly the threshold), 1, 0.99: NMS 0.5 keeps [0,10] (IoU 0.5 with [0,5] is not > 0.5) and drops [0,9.9].
        new GroundingPrediction("0", [new(0, 5, 0.9), new(0, 10, 0.8), new(0, 9.9, 0.7)]),
        new GroundingPrediction("1", []),                                   // empty: a miss with IoU 0
        new GroundingPrediction("2", [new(0, 1, 0.5), new(5, 6, 0.5)]),     // tie: input order decides, the wrong one first
        new GroundingPrediction("3", [new(10, 20, 1), new(10, 20, 1), new(30, 40, 0.5)]), // duplicate window
        new GroundingPrediction("4", [new(12, 20, 1)]),                     // outside the 10-s video: IoU 0, not clipped
        new GroundingPrediction("5", [new(3, 3, 1)]),                       // zero-length: IoU 0
        new GroundingPrediction("99", [new(0, 1, 1)]),                      // unknown query: ignored
    }.ToDictionary(p => p.QueryId);

    [Fact]
    public void Strict_convention_with_nms_as_2d_tan()
    {
        var scores = GroundingMetrics.Evaluate(Truth, Predictions());

        Assert.Equal(100.0 * 2 / 6, scores.Recall(1, 0.3), 9);   // queries 0 and 3
        Assert.Equal(100.0 / 6, scores.Recall(1, 0.5), 9);       // IoU 0.5 is not > 0.5
        Assert.Equal(100.0 / 6, scores.Recall(1, 0.7), 9);
        Assert.Equal(50, scores.Recall(5, 0.3), 9);               // queries 0, 2, 3
        Assert.Equal(50, scores.Recall(5, 0.5), 9);
        Assert.Equal(50, scores.Recall(5, 0.7), 9);
        Assert.Equal(25, scores.MeanIoU, 9);                      // (0.5 + 1) / 6
        Assert.Equal(1, scores.MissingPredictions);
        Assert.Equal(6, scores.Queries);
        Assert.Equal("R@1,IoU=0.3", scores.Recalls[0].Name);
    }

    [Fact]
    public void Inclusive_convention_as_vslnet()
    {
        var scores = GroundingMetrics.Evaluate(Truth, Predictions(), new GroundingMetricOptions { Convention = IouConvention.Inclusive });

        Assert.Equal(100.0 * 2 / 6, scores.Recall(1, 0.3), 9);
        Assert.Equal(100.0 * 2 / 6, scores.Recall(1, 0.5), 9);   // IoU 0.5 ≥ 0.5
        Assert.Equal(100.0 / 6, scores.Recall(1, 0.7), 9);
        Assert.Equal(50, scores.Recall(5, 0.7), 9);
        Assert.Equal(25, scores.MeanIoU, 9);
    }

    [Fact]
    public void Nms_threshold_changes_what_r_at_5_sees()
    {
        // With NMS 0.4, [0,10] (IoU 0.5 with [0,5]) is suppressed and so is [0,9.9] (IoU 0.495): query 0 has only IoU 0.5.
        var scores = GroundingMetrics.Evaluate(Truth, Predictions(), new GroundingMetricOptions { NmsThreshold = 0.4 });

        Assert.Equal(100.0 * 2 / 6, scores.Recall(5, 0.5), 9);   // queries 2 and 3
        Assert.Equal(50, scores.Recall(5, 0.3), 9);
    }

    [Fact]
    public void Several_truth_windows_take_the_best()
    {
        GroundingQuery[] truth = [new("a", "v", 60, "s", [new(0, 10), new(30, 40)])];
        var predictions = new Dictionary<string, GroundingPrediction> { ["a"] = new("a", [new(30, 39, 1)]) };

        var scores = GroundingMetrics.Evaluate(truth, predictions, new GroundingMetricOptions { RecallAt = [1], IouThresholds = [0.85] });

        Assert.Equal(100, scores.Recall(1, 0.85));
        Assert.Equal(90, scores.MeanIoU, 9);
    }
}
