using System.Numerics.Tensors;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Research.Features;
using Vireo.Grounding;
using Vireo.Grounding.Scoring;
using Vireo.Media;
using Vireo.Tests.Support;
using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Tests.Evaluation;

/// <summary>
/// Vireo's zero-shot grounder run through <see cref="PrecomputedGrounding"/> on the real QVHighlights CLIP features of
/// qtyBzFV9yTs_60.0_210.0 (75 clips x 512, float16) and the pooler_output of its train query 5263 ("Animation of the planet
/// earth with some letters appearing on it"; ground truth [0, 30] and [78, 110]), scored by the official metrics. The
/// expected values are derived by hand below from the predicted windows.
/// </summary>
public class ZeroShotQvHighlightsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(GroundingQuery Query, FeatureArray Clips, FeatureArray Text)> LoadAsync()
    {
        var features = SharedData.Require("data/features");
        var train = await QvHighlights.LoadAsync(SharedData.Require("data/qvhighlights/highlight_train_release.jsonl"), cancellationToken: Ct);
        var clips = await NpzFile.ReadAsync(Path.Combine(features, "qvh_qtyBzFV9yTs_60.0_210.0_clip_video.npz"), cancellationToken: Ct);
        var text = await NpzFile.ReadAsync(Path.Combine(features, "qvh_qid5263_clip_text.npz"), "pooler_output", Ct);
        return (train.ById()["5263"], clips, text);
    }

    [Fact]
    public async Task Zero_shot_grounding_on_real_features_scores_as_derived_by_hand()
    {
        var features = SharedData.Require("data/features");
        var (query, clips, text) = await LoadAsync();
        GroundingQuery[] queries = [query];

        var predictions = await PrecomputedGrounding.RunAsync(queries,
            new NpzFeatureFolder(features, "qvh_{0}_clip_video.npz"),
            new NpzFeatureFolder(features, "qvh_qid{0}_clip_text.npz", "pooler_output"),
            new ZeroShotFeatureGrounder(), clipLength: 2, Ct);
        var report = QvHighlightsEvaluator.Evaluate(queries, predictions);

        var prediction = Assert.Single(predictions);
        Assert.Equal([new(0, 30), new(78, 110)], query.Windows);
        Assert.Equal(10, prediction.Windows.Count);
        Assert.Equal(new TemporalWindow(76, 108), prediction.Windows[0].Window);
        Assert.Equal(new TemporalWindow(0, 28), prediction.Windows[1].Window);
        // The other eight windows touch neither ground-truth window (IoU 0): [136,146] [44,54] [32,34] [56,60] [132,134]
        // [40,42] [110,114] [124,132].
        Assert.All(prediction.Windows.Skip(2), w => Assert.Equal(0, query.Windows.Max(t => t.IoU(w.Window))));
        Assert.Equal(prediction.Windows.OrderByDescending(w => w.Score), prediction.Windows);

        // R1: the first window [76,108] against [78,110]: IoU 30/34 = 0.882 ≥ 0.7.
        Assert.Equal(100, report["MR-full-R1@0.5"]);
        Assert.Equal(100, report["MR-full-R1@0.7"]);
        // mAP, two ground-truth windows. Rank 1 [76,108] matches [78,110] at IoU 0.882, rank 2 [0,28] matches [0,30] at
        // IoU 28/30 = 0.933. Thresholds 0.50..0.85 (8): both true positives, AP 1. Threshold 0.90: rank 1 misses, rank 2
        // hits at precision 1/2, recall 1/2: AP 0.25. Threshold 0.95: AP 0. Mean (8 + 0.25) / 10 = 82.5.
        Assert.Equal(82.5, report["MR-full-mAP"]);
        Assert.Equal(100, report["MR-full-mAP@0.5"]);
        Assert.Equal(100, report["MR-full-mAP@0.75"]);
        // Long bucket keeps [78,110] (32 s): AP 1 at the 8 thresholds ≤ 0.85, 0 above: 80. Middle keeps [0,30] (30 s): rank
        // 2 hits at precision 1/2 for the 9 thresholds ≤ 0.90: 9 · 0.5 / 10 = 45.
        Assert.Equal(80, report["MR-long-mAP"]);
        Assert.Equal(45, report["MR-middle-mAP"]);

        // HL: the saliency scores are the clips' raw cosine similarities, so they rank clips exactly as cosine similarity
        // of the raw features does; the HL values are those of that ranking (moment_detr's get_ap, PrecomputedGroundingTests).
        var cosine = Enumerable.Range(0, clips.Rows).Select(c => TensorPrimitives.CosineSimilarity(clips.Row(c), text.Data)).ToArray();
        Assert.Equal(75, prediction.SaliencyScores!.Count);
        for (var c = 0; c < 75; c++)
            Assert.Equal(cosine[c], prediction.SaliencyScores[c], 5);
        Assert.Equal(68.27, report["HL-min-Fair-mAP"]);
        Assert.Equal(62.69, report["HL-min-Good-mAP"]);
        Assert.Equal(10.59, report["HL-min-VeryGood-mAP"]);
        // Hit1: the best clip (38 or 70, both 0.328) is not among the relevant clips 0-14 and 39-54.
        var best = prediction.SaliencyScores.ToList().IndexOf(prediction.SaliencyScores.Max());
        Assert.Contains(best, new[] { 38, 70 });
        Assert.DoesNotContain(best, query.Saliency!.ClipIds);
        Assert.Equal(0, report["HL-min-Fair-Hit1"]);
        Assert.Equal(0, report["HL-min-Good-Hit1"]);
        Assert.Equal(0, report["HL-min-VeryGood-Hit1"]);
    }

    [Fact]
    public async Task The_first_moment_is_the_best_span_of_the_whole_map()
    {
        // Every span of the 75 clips scored by the default scorer: the grounder's first moment is the global best, though
        // it only scores a sampled subset of the spans plus refinement.
        var (query, clips, text) = await LoadAsync();
        var prediction = await new ZeroShotFeatureGrounder().GroundAsync(new GroundingInput(query, clips, 2, text), Ct);
        var normalised = text.Data.ToArray();
        Vireo.Vectors.VectorMath.NormalizeInPlace(normalised);
        var curve = Enumerable.Range(0, 75).Select(c => TensorPrimitives.CosineSimilarity(clips.Row(c), normalised)).ToArray();
        var profile = SimilarityProfile.FromSimilarities(curve, new ClipGrid(150, 2));

        var best = Enumerable.Range(0, 75).SelectMany(s => Enumerable.Range(s + 1, 75 - s).Select(e => new ClipSpan(s, e)))
            .MaxBy(s => InsideOutsideContrast.Default.Score(profile, s));

        Assert.Equal(new ClipSpan(38, 54), best);
        Assert.Equal(new TemporalWindow(76, 108), prediction.Windows[0].Window);
        Assert.Equal(InsideOutsideContrast.Default.Score(profile, best), prediction.Windows[0].Score, 4);
    }
}
