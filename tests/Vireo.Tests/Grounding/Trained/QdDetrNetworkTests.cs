using Vireo.Grounding.Trained.Networks;
using Vireo.Models.Checkpoints;
using Vireo.Research.Features;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>
/// QD-DETR rebuilt from the official fixture checkpoint (../shared/data/trained/qd_detr) against the outputs the
/// official PyTorch code gave for the same inputs (raw_eval.npz: one query per batch, eval mode).
/// </summary>
public class QdDetrNetworkTests
{
    private const float Tolerance = 1e-4f;

    private static readonly Lazy<TrainedDetrFixture> Shared = new(() => TrainedDetrFixture.Load("qd_detr"));

    public static TheoryData<int> Queries => new() { 5263, 100020, 100048, 100075 };

    [Theory]
    [MemberData(nameof(Queries))]
    public void Outputs_match_the_official_code_within_1e_4(int qid)
    {
        var fixture = Shared.Value;
        var video = fixture.Array(qid, "src_vid");
        var text = fixture.Array(qid, "src_txt");

        var outputs = fixture.Run(video, text);

        foreach (var output in new[] { DetrGraphContract.Logits, DetrGraphContract.Spans, DetrGraphContract.Saliency })
        {
            var expected = fixture.Array(qid, output);
            var actual = outputs[output];
            Assert.Equal([1L, .. expected.Shape.Select(d => (long)d)], actual.Shape);
            var maxDifference = expected.Data.Zip(actual.Values, (e, a) => Math.Abs(e - a)).Max();
            TestContext.Current.TestOutputHelper?.WriteLine($"q{qid} {output}: max |difference| {maxDifference:E2}");
            Assert.True(maxDifference <= Tolerance, $"q{qid} {output}: max |difference| {maxDifference:E2} > {Tolerance:E0}");
        }
    }

    [Fact]
    public void Twice_the_trained_clip_count_runs_through_the_same_graph()
    {
        var fixture = Shared.Value;
        var video = fixture.Array(5263, "src_vid");
        var doubled = new FeatureArray([.. video.Data, .. video.Data], [2 * video.Rows, video.Columns]);

        var outputs = fixture.Run(doubled, fixture.Array(5263, "src_txt"));

        Assert.Equal([1L, 150], outputs[DetrGraphContract.Saliency].Shape);
        Assert.Equal([1L, 10, 2], outputs[DetrGraphContract.Spans].Shape);
        Assert.All(outputs.Values.SelectMany(o => o.Values), v => Assert.True(float.IsFinite(v)));
        Assert.All(outputs[DetrGraphContract.Spans].Values, v => Assert.InRange(v, 0f, 1f));
        // The positions are length-normalised, so a repeated clip sits elsewhere and scores differently.
        var saliency = outputs[DetrGraphContract.Saliency].Values;
        Assert.NotEqual(saliency[..75], saliency[75..]);
    }

    [Fact]
    public void A_missing_or_misshaped_weight_is_named()
    {
        var fixture = Shared.Value;
        var withoutAnchors = fixture.Weights.Where(w => w.Key != "query_embed.weight").ToDictionary();
        var misshaped = fixture.Weights.ToDictionary();
        var scale = misshaped["transformer.decoder.query_scale.layers.1.weight"];
        misshaped["transformer.decoder.query_scale.layers.1.weight"] = scale with { Shape = [scale.Shape[0] / 2, scale.Shape[1] * 2] };

        var missing = Assert.Throws<CheckpointException>(() => DetrNetwork.Build(fixture.Config, withoutAnchors, fixture.Path));
        var wrong = Assert.Throws<CheckpointException>(() => DetrNetwork.Build(fixture.Config, misshaped, fixture.Path));

        Assert.StartsWith(fixture.Path, missing.Message, StringComparison.Ordinal);
        Assert.Contains("'query_embed.weight'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("'transformer.decoder.query_scale.layers.1.weight'", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("[128, 512]", wrong.Message, StringComparison.Ordinal);
    }
}
