using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Tests.Evaluation;

public class DiDeMoEvaluatorTests
{
    private static GroundingQuery Q(string id, params (int S, int E)[] moments) =>
        new(id, "v", 30, "s", [.. moments.Select(m => DiDeMo.ToSeconds(m.S, m.E))]);

    private static GroundingPrediction P(string id, params (int S, int E)[] ranked) =>
        new(id, [.. ranked.Select((m, i) => new ScoredWindow(DiDeMo.ToSeconds(m.S, m.E), 1.0 - i * 0.01))]);

    [Fact]
    public void Consensus_of_the_three_best_annotators()
    {
        GroundingQuery[] truth =
        [
            Q("1", (1, 1), (1, 1), (1, 1), (0, 0)),  // ranks 1,1,1,2 → best three average 1: R@1 and R@5
            Q("2", (0, 1), (0, 1), (2, 2), (3, 5)),  // ranks 3,3,1,4 → (1+3+3)/3 = 2.33: R@5 only
            Q("3", (0, 0), (0, 0), (0, 0), (0, 0)),  // (0,0) never ranked: infinite rank
        ];
        var predictions = new[]
        {
            P("1", (1, 1), (0, 0), (2, 2)),
            P("2", (2, 2), (0, 0), (0, 1), (3, 5)),
            P("3", (5, 5)),
        }.ToDictionary(p => p.QueryId);

        var scores = DiDeMoEvaluator.Evaluate(truth, predictions);

        Assert.Equal(100.0 / 3, scores.RecallAt1, 9);
        Assert.Equal(200.0 / 3, scores.RecallAt5, 9);
        // top-window IoU, mean of the three highest: query 1 → 1; query 2 ([10,15]) → (1+0+0)/3; query 3 → 0.
        Assert.Equal(100 * (1 + 1.0 / 3) / 3, scores.MeanIoU, 9);
    }

    [Fact]
    public void Windows_off_the_segment_grid_are_rejected()
    {
        var truth = new[] { Q("1", (0, 0)) };
        var predictions = new Dictionary<string, GroundingPrediction> { ["1"] = new("1", [new(1, 6, 1)]) };

        Assert.Equal(Vireo.Errors.ErrorKind.Input, Assert.ThrowsAny<Vireo.Errors.VireoException>(() => DiDeMoEvaluator.Evaluate(truth, predictions)).Kind);
    }
}

public class RetrievalMetricsTests
{
    // Row 0: truth best (rank 0). Row 1: truth ties with column 0. Row 2: two videos above the truth (rank 2).
    private static readonly float[] Sims = [0.9f, 0.1f, 0.2f, 0.5f, 0.5f, 0.1f, 0.3f, 0.8f, 0.1f];

    [Fact]
    public void Single_caption_counts_every_tied_position_as_clip4clip()
    {
        var scores = RetrievalMetrics.FromSimilarities(Sims, 3, 3, [0, 1, 2], RetrievalSetting.SingleCaption);

        // ranks 0 | 0, 1 (the tie) | 2: four entries.
        Assert.Equal(4, scores.Ranks);
        Assert.Equal(50, scores.R1, 9);
        Assert.Equal(100, scores.R5, 9);
        Assert.Equal(1.5, scores.MedianRank, 9);   // NumPy median of 0, 0, 1, 2 is 0.5; + 1
        Assert.Equal(1.75, scores.MeanRank, 9);
    }

    [Fact]
    public void Multi_caption_has_one_rank_per_caption_and_the_lower_median()
    {
        var scores = RetrievalMetrics.FromSimilarities(Sims, 3, 3, [0, 1, 2], RetrievalSetting.MultiCaption);

        Assert.Equal(3, scores.Ranks);
        Assert.Equal((double)(100f / 3f), scores.R1);   // PyTorch divides the count in float32
        Assert.Equal(1, scores.TiedCaptions);
        Assert.Equal(2, scores.MedianRank, 9);     // ranks 0, 1, 2
        Assert.Equal(2, scores.MeanRank, 9);
        // two captions of video 0 and one caption of video 1 over two videos
        float[] two = [0.9f, 0.1f, 0.2f, 0.7f, 0.3f, 0.4f];
        var multi = RetrievalMetrics.FromSimilarities(two, 3, 2, [0, 0, 1], RetrievalSetting.MultiCaption);
        Assert.Equal(3, multi.Ranks);
        Assert.Equal(1, multi.MedianRank, 9);      // lower median of 0, 1, 0 (torch.median) + 1
        // a non-finite similarity is refused with its position (CLIP4Clip would silently drop the caption)
        float[] infinite = [0.9f, 0.1f, 0.2f, 0.7f, 0.3f, float.NegativeInfinity];
        var error = Assert.Throws<Vireo.Research.Datasets.DatasetFormatException>(() =>
            RetrievalMetrics.FromSimilarities(infinite, 3, 2, [0, 0, 1], RetrievalSetting.MultiCaption, "sims.npy"));
        Assert.Contains("sims.npy: the similarity at row 2, column 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Square_matrix_helper_and_bad_shapes()
    {
        var square = new Vireo.Research.Features.FeatureArray(Sims, [3, 3]);

        Assert.Equal(50, RetrievalMetrics.FromSquare(square).R1, 9);
        Assert.Throws<ArgumentException>(() => RetrievalMetrics.FromSquare(new Vireo.Research.Features.FeatureArray([1, 2], [1, 2])));
        Assert.Throws<ArgumentException>(() => RetrievalMetrics.FromSimilarities(Sims, 3, 3, [1, 0, 2], RetrievalSetting.SingleCaption));
    }
}

public class PredictionFileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Round_trip_in_the_submission_format()
    {
        var path = Support.TestVideos.NewPath("preds.jsonl");
        GroundingPrediction[] predictions =
        [
            new("2579", [new(0, 10.5, 0.9), new(20, 30, 0.1)]) { Query = "a \"quoted\" query", VideoId = "NUsG9BgSes0_210.0_360.0", SaliencyScores = [0.5, -1] },
            new("ret7", [new(1, 2, 0)]),
        ];

        await PredictionFile.WriteAsync(path, predictions, Ct);
        var lines = await File.ReadAllLinesAsync(path, Ct);
        var back = await PredictionFile.ReadAsync(path, Ct);

        Assert.StartsWith("{\"qid\":2579,\"query\":\"a \\\"quoted\\\" query\",\"vid\":\"NUsG9BgSes0_210.0_360.0\",\"pred_relevant_windows\":[[0,10.5,0.9],[20,30,0.1]],\"pred_saliency_scores\":[0.5,-1]}", lines[0], StringComparison.Ordinal);
        Assert.Equal("{\"qid\":\"ret7\",\"pred_relevant_windows\":[[1,2,0]]}", lines[1]);
        Assert.Equal(predictions[0].Windows, back[0].Windows);
        Assert.Equal(predictions[0].SaliencyScores, back[0].SaliencyScores);
        Assert.Equal(("2579", 1), (back[0].QueryId, back[0].Line));
    }

    [Theory]
    [InlineData("{\"qid\": 0, \"pred_relevant_windows\": [[5, 2, 1]]}", "already predicted on line 1")]
    [InlineData("{\"qid\": 1, \"pred_relevant_windows\": [[5]]}", "not [start, end, score]")]
    [InlineData("{\"pred_relevant_windows\": []}", "missing field 'qid'")]
    public async Task Bad_lines_are_named(string second, string message)
    {
        var path = Support.TestVideos.NewPath("bad.jsonl");
        await File.WriteAllTextAsync(path, "{\"qid\": 0, \"pred_relevant_windows\": [[0, 1, 1]]}\n" + second + "\n", Ct);

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => PredictionFile.ReadAsync(path, Ct));

        Assert.Equal(2, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_qid_is_an_error()
    {
        var path = Support.TestVideos.NewPath("dup.jsonl");
        await File.WriteAllTextAsync(path, "{\"qid\": 0, \"pred_relevant_windows\": []}\n{\"qid\": 0, \"pred_relevant_windows\": []}\n", Ct);

        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => PredictionFile.ReadAsync(path, Ct));

        Assert.Contains("already predicted on line 1", error.Message, StringComparison.Ordinal);
    }
}
