using Vireo.Grounding.Trained;
using Vireo.Research.Datasets;

namespace Vireo.Research.Evaluation;

/// <summary>
/// A trained grounder (Moment-DETR, QD-DETR, CG-DETR) as an <see cref="IMomentGrounder"/> on precomputed features in
/// moment_detr's layout, computing exactly what Lighthouse's evaluation computes (the path behind published numbers):
/// the first <c>max_v_l</c> clips and <c>max_q_l</c> tokens, normalised, tef appended, one query per forward pass;
/// spans times the annotation's duration; <see cref="LighthousePostProcessing"/> for the data set.
/// With <paramref name="wholeVideos"/>, videos longer than the network's window are covered by windows
/// (<see cref="TrainedGrounder.Predict"/>) instead of being cut.
/// </summary>
public sealed class TrainedFeatureGrounder(TrainedGrounder grounder, string dataset, bool wholeVideos = false) : IMomentGrounder
{
    private readonly LighthousePostProcessing _post = LighthousePostProcessing.For(dataset);

    public ValueTask<GroundingPrediction> GroundAsync(GroundingInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var spec = grounder.Manifest.Features;
        var clips = input.ClipFeatures;
        var text = input.TextFeatures;
        RequireWidth(clips, spec.VideoDim, input.ClipFeaturesSource, "clip");
        RequireWidth(text, spec.TextDim, input.TextFeaturesSource, "token");
        var clipSeconds = (float)spec.ClipSeconds;
        // The networks compute in float32, as their official code casts features (astype(np.float32)): float64 files are narrowed here on purpose.
        var clipValues = clips.ToSingle();
        var textValues = text.ToSingle();
        if (wholeVideos && clips.Rows > grounder.Config.MaxVideoClips)
        {
            var whole = grounder.Predict(clipValues, clips.Rows, textValues, text.Rows);
            return ValueTask.FromResult(Prediction(input, whole.Moments, LighthousePostProcessing.Saliency(whole.Saliency)));
        }
        var kept = Math.Min(clips.Rows, grounder.Config.MaxVideoClips);
        var video = GrounderInputs.Video(clipValues.AsSpan(0, kept * spec.VideoDim), kept, spec.VideoDim, spec.Tef);
        var tokens = Math.Min(text.Rows, spec.MaxTextTokens);
        var textInput = GrounderInputs.Text(textValues, text.Rows, spec.TextDim, spec.MaxTextTokens);
        var outputs = grounder.Forward(video, kept, textInput, tokens);
        var ranked = MomentRanking.Rank(outputs, (float)input.Query.Duration);
        return ValueTask.FromResult(Prediction(input, _post.Windows(ranked, clipSeconds), LighthousePostProcessing.Saliency(outputs.Saliency)));
    }

    private static GroundingPrediction Prediction(GroundingInput input, IReadOnlyList<Vireo.Temporal.ScoredWindow> windows, double[] saliency) =>
        new(input.Query.QueryId, windows) { Query = input.Query.Sentence, VideoId = input.Query.VideoId, SaliencyScores = saliency };

    private static void RequireWidth(Features.FeatureArray features, int width, string? source, string what)
    {
        if (features.Shape.Length != 2 || features.Columns != width || features.Rows == 0)
            throw new DatasetFormatException(source ?? "(features)", 0,
                $"expected {what} features [rows, {width}] for this grounder, found {features}");
    }
}
