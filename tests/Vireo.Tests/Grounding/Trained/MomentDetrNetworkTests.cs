using System.Globalization;
using Vireo.Grounding.Trained.Networks;
using Vireo.Models.Checkpoints;
using Vireo.Onnx;
using Vireo.Tests.Onnx;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>Moment-DETR rebuilt as an ONNX graph from the official checkpoint gives the official PyTorch outputs.</summary>
public class MomentDetrNetworkTests
{
    private const float Tolerance = 1e-4f;

    private static readonly Lazy<TrainedDetrFixture> Shared = new(() => TrainedDetrFixture.Load("moment_detr"));

    public static TheoryData<int> Queries => new() { 5263, 100020, 100048, 100075 };

    [Theory]
    [MemberData(nameof(Queries))]
    public void The_graph_reproduces_the_official_outputs(int qid)
    {
        var raw = Shared.Value.Raw;
        var video = raw[$"q{qid}_src_vid"];
        var text = raw[$"q{qid}_src_txt"];

        var outputs = TrainedDetrFixture.Run(Shared.Value.Session, video.Data, video.Rows, text.Data, text.Rows);

        var report = new List<string>();
        foreach (var (name, shape) in new[] { (DetrGraphContract.Logits, new long[] { 1, 10, 2 }), (DetrGraphContract.Spans, [1, 10, 2]), (DetrGraphContract.Saliency, [1, video.Rows]) })
        {
            var expected = raw[$"q{qid}_{name}"].Data;
            var actual = outputs[name];
            Assert.Equal(shape, actual.Shape);
            var difference = MaxAbsDifference(expected, actual.Values);
            report.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {difference:E2}"));
            Assert.True(difference <= Tolerance, $"q{qid} {name}: max abs difference {difference} exceeds {Tolerance}");
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"q{qid}: {string.Join(", ", report)}");
    }

    [Theory]
    [InlineData(20, 150)]
    [InlineData(150, 3)]
    [InlineData(1, 1)]
    public void The_graph_takes_any_number_of_clips_and_tokens(int clips, int tokens)
    {
        var random = new RandomStateDict(clips);
        var config = Shared.Value.Config;

        var outputs = TrainedDetrFixture.Run(Shared.Value.Session, random.Array(clips * config.VideoDim), clips, random.Array(tokens * config.TextDim), tokens);

        Assert.Equal([1, config.Queries, 2], outputs[DetrGraphContract.Logits].Shape);
        Assert.Equal([1, config.Queries, 2], outputs[DetrGraphContract.Spans].Shape);
        Assert.Equal([1, clips], outputs[DetrGraphContract.Saliency].Shape);
        Assert.All(outputs.Values.SelectMany(o => o.Values), v => Assert.True(float.IsFinite(v)));
        Assert.All(outputs[DetrGraphContract.Spans].Values, v => Assert.InRange(v, 0f, 1f));
    }

    [Theory]
    [InlineData("transformer.decoder.layers.1.norm3.bias", null)]
    [InlineData("class_embed.weight", new long[] { 3, 256 })]
    [InlineData("input_vid_proj.0.net.1.weight", new long[] { 256, 512 })]
    [InlineData("transformer.encoder.layers.1.self_attn.in_proj_bias", new long[] { 512 })]
    public void A_missing_or_misshaped_weight_is_a_checkpoint_error_naming_it(string key, long[]? shape)
    {
        var (config, weights, path) = (Shared.Value.Config, Shared.Value.Weights, Shared.Value.Path);
        var altered = weights.Where(p => p.Key != key).ToDictionary(p => p.Key, p => p.Value);
        if (shape is not null)
            altered[key] = new CheckpointTensor(shape, new float[shape.Aggregate(1L, (a, b) => a * b)], "FloatStorage");

        var error = Assert.Throws<CheckpointException>(() => DetrNetwork.Build(config, altered, path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(shape is null ? "missing" : $"[{string.Join(", ", shape)}]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_smaller_configuration_is_rebuilt_with_its_own_layers_heads_and_widths()
    {
        var config = Shared.Value.Config with
        {
            HiddenDim = 16, Heads = 2, FeedForwardDim = 24, EncoderLayers = 1, DecoderLayers = 3, Queries = 4,
            InputProjections = 1, VideoDim = 6, TextDim = 5,
        };
        var weights = SmallMomentDetr.StateDict(config, seed: 11);
        const int clips = 7, tokens = 3;
        var video = weights.Array(clips * config.VideoDim);
        var text = weights.Array(tokens * config.TextDim);
        var model = DetrNetwork.Build(config, weights.Tensors, "small.ckpt");

        using var session = OrtTestRunner.Load(model);
        var outputs = TrainedDetrFixture.Run(session, video, clips, text, tokens);

        var expected = SmallMomentDetr.Reference(config, weights.Values, video, text);
        DetrBlockTests.AssertClose(expected.Logits, outputs[DetrGraphContract.Logits].Values, 2e-5f);
        DetrBlockTests.AssertClose(expected.Spans, outputs[DetrGraphContract.Spans].Values, 2e-5f);
        DetrBlockTests.AssertClose(expected.Saliency, outputs[DetrGraphContract.Saliency].Values, 2e-5f);
    }

    private static float MaxAbsDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++)
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        return worst;
    }
}
