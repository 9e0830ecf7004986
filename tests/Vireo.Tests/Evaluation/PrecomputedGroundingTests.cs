using System.Numerics.Tensors;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Grounding;
using Vireo.Tests.Support;
using Vireo.Temporal;

namespace Vireo.Tests.Evaluation;

/// <summary>
/// A grounding method plugged into the evaluation on the real QVHighlights features of qtyBzFV9yTs_60.0_210.0 and the
/// CLIP text features of its train query 5263. The method here is the plainest one (cosine similarity of each clip with
/// the sentence); the HL reference values were computed from the same features with moment_detr's get_ap.
/// </summary>
public class PrecomputedGroundingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class CosineGrounder : IMomentGrounder
    {
        public ValueTask<GroundingPrediction> GroundAsync(GroundingInput input, CancellationToken cancellationToken = default)
        {
            var text = input.TextFeatures.Data;
            var scores = new double[input.ClipFeatures.Rows];
            for (var c = 0; c < scores.Length; c++)
                scores[c] = TensorPrimitives.CosineSimilarity(input.ClipFeatures.Row(c), text);
            var best = Array.IndexOf(scores, scores.Max());
            ScoredWindow[] windows = [new(best * input.ClipLength, (best + 1) * input.ClipLength, scores[best])];
            return ValueTask.FromResult(new GroundingPrediction(input.Query.QueryId, windows) { SaliencyScores = scores });
        }
    }

    [Fact]
    public async Task Cosine_grounder_on_real_features_scores_as_the_official_get_ap()
    {
        var features = SharedData.Require("data/features");
        var train = await QvHighlights.LoadAsync(SharedData.Require("data/qvhighlights/highlight_train_release.jsonl"), cancellationToken: Ct);
        GroundingQuery[] queries = [train.ById()["5263"]];

        var predictions = await PrecomputedGrounding.RunAsync(queries,
            new NpzFeatureFolder(features, "qvh_{0}_clip_video.npz"),
            new NpzFeatureFolder(features, "qvh_qid{0}_clip_text.npz", "pooler_output"),
            new CosineGrounder(), clipLength: 2, Ct);
        var report = QvHighlightsEvaluator.Evaluate(queries, predictions);

        var prediction = Assert.Single(predictions);
        Assert.Equal("qtyBzFV9yTs_60.0_210.0", prediction.VideoId);
        Assert.Equal(75, prediction.SaliencyScores!.Count);
        Assert.Equal(new TemporalWindow(140, 142), prediction.Windows[0].Window); // clip 70 scores highest, outside the truth
        Assert.Equal(0, report["MR-full-R1@0.5"]);
        Assert.Equal(68.27, report["HL-min-Fair-mAP"]);
        Assert.Equal(62.69, report["HL-min-Good-mAP"]);
        Assert.Equal(10.59, report["HL-min-VeryGood-mAP"]);
        Assert.Equal(0, report["HL-min-Fair-Hit1"]);
    }
}
