using System.Text.Json;
using Vireo.Grounding.Trained;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Research.Features;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>
/// The steps around the network, checked on the official evaluation's own numbers: the inputs Vireo prepares from the
/// feature files equal the inputs Lighthouse fed its networks, and the official raw outputs post-processed by Vireo give
/// the official prediction lines exactly.
/// </summary>
public class OfficialPostProcessingTests
{
    public static TheoryData<string, string> Cases => TrainedFixtures.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Official_raw_outputs_post_processed_by_Vireo_give_the_official_prediction_line(string architecture, string qid)
    {
        var outputs = await TrainedFixtures.OfficialOutputsAsync(architecture, qid);
        var (_, duration, _) = TrainedFixtures.Annotation(qid);
        var post = LighthousePostProcessing.For(DatasetNames.QvHighlights);

        var windows = post.Windows(MomentRanking.Rank(outputs, (float)duration), clipSeconds: 2);
        var saliency = LighthousePostProcessing.Saliency(outputs.Saliency);

        var official = TrainedFixtures.OfficialLine(architecture, qid);
        var officialWindows = official.GetProperty("pred_relevant_windows").EnumerateArray().Select(w => w.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        Assert.Equal(officialWindows.Length, windows.Count);
        for (var i = 0; i < windows.Count; i++)
            Assert.Equal(officialWindows[i], new[] { windows[i].Start, windows[i].End, windows[i].Score });
        Assert.Equal(official.GetProperty("pred_saliency_scores").EnumerateArray().Select(v => v.GetDouble()), saliency);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Inputs_prepared_from_the_feature_files_equal_the_official_model_inputs(string architecture, string qid)
    {
        var (vid, _, _) = TrainedFixtures.Annotation(qid);
        var clips = await NpzFile.ReadAsync(Path.Combine(TrainedFixtures.VideoFeatures, vid + ".npz"), cancellationToken: TestContext.Current.CancellationToken);
        var tokens = await NpzFile.ReadAsync(Path.Combine(TrainedFixtures.TextFeatures, $"qid{qid}.npz"), "last_hidden_state", TestContext.Current.CancellationToken);
        var (officialVideo, officialText) = await TrainedFixtures.OfficialInputsAsync(architecture, qid);

        var kept = Math.Min(clips.Rows, 75);
        var video = GrounderInputs.Video(clips.Data.AsSpan(0, kept * clips.Columns), kept, clips.Columns, tef: true);
        var text = GrounderInputs.Text(tokens.Data, tokens.Rows, tokens.Columns, maxTokens: 32);

        Assert.Equal(officialVideo.Data.Length, video.Length);
        Assert.Equal(officialText.Data.Length, text.Length);
        // numpy sums the squares pairwise, TensorPrimitives in SIMD lanes: the norms may differ in the last bits.
        Assert.True(MaxAbsDifference(officialVideo.Data, video) <= 1e-6, $"video inputs differ by {MaxAbsDifference(officialVideo.Data, video)}");
        Assert.True(MaxAbsDifference(officialText.Data, text) <= 1e-6, $"text inputs differ by {MaxAbsDifference(officialText.Data, text)}");
        for (var i = 0; i < kept; i++)
        {
            // The tef columns are exact: [i/L, i/L + 1/L] in float32.
            Assert.Equal(officialVideo.Data[i * 514 + 512], video[i * 514 + 512]);
            Assert.Equal(officialVideo.Data[i * 514 + 513], video[i * 514 + 513]);
        }
    }

    [Theory]
    [InlineData(0.03125, 0.0312)]      // an exact binary tie: Python rounds half to even
    [InlineData(0.03135, 0.0314)]      // not a tie in binary (0.031350000000000003…)
    [InlineData(-0.03125, -0.0312)]
    [InlineData(41.99995, 41.9999)]      // binary 41.999949999999998…, below the tie
    [InlineData(0.000049999999, 0.0)]
    [InlineData(123.45675, 123.4567)]   // binary 123.456749999999999…, below the tie
    public void Rounding_to_four_decimals_is_pythons(double value, double expected) =>
        Assert.Equal(expected, DecimalRounding.Round(value, 4));

    [Fact]
    public void Tacos_and_activitynet_windows_are_not_clamped_but_still_on_the_clip_grid()
    {
        var outputs = new DetrOutputs([2, 0, 0, 2], [0.9f, 0.4f, 0.1f, 0.05f], [0, 0]);
        var ranked = MomentRanking.Rank(outputs, 400);

        var tacos = LighthousePostProcessing.For(DatasetNames.Tacos).Windows(ranked, 2);
        var qv = LighthousePostProcessing.For(DatasetNames.QvHighlights).Windows(ranked, 2);

        Assert.Equal((280.0, 440.0), (tacos[0].Start, tacos[0].End));
        Assert.Equal((150.0, 150.0), (qv[0].Start, qv[0].End));   // [280, 440] clamped to [0, 150]
        Assert.Equal((30.0, 50.0), (tacos[1].Start, tacos[1].End));
    }

    private static double MaxAbsDifference(float[] a, float[] b)
    {
        double max = 0;
        for (var i = 0; i < a.Length; i++)
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
