using Vireo.Errors;
using Vireo.Grounding;
using Vireo.Grounding.Trained;
using Vireo.Library;
using Vireo.Models;
using Vireo.Temporal;
using Vireo.Vectors;

namespace Vireo.Retrieval;

/// <summary>
/// The moment stage of a library search run by a trained grounder: the sentence's token features once, then each
/// video's stored clip embeddings (the library's clips: the same encoder and clip length as the grounder's features,
/// the mean of the clip's frames where Lighthouse takes one frame) through the grounder.
/// </summary>
internal sealed class TrainedStage
{
    private readonly TrainedGrounder _grounder;
    private readonly TokenFeatures _tokens;

    private TrainedStage(TrainedGrounder grounder, TokenFeatures tokens)
    {
        _grounder = grounder;
        _tokens = tokens;
    }

    /// <exception cref="ConflictException">The library's clips are not the features the grounder was trained on.</exception>
    /// <exception cref="TokenFeaturesUnavailableException">The library's model has no per-token output.</exception>
    public static TrainedStage For(TrainedGrounder grounder, VideoLibrary library, EmbeddingModel model, string sentence)
    {
        var spec = grounder.Manifest.Features;
        var clipLength = library.Settings?.ClipLength;
        if (clipLength is { } seconds && Math.Abs(seconds - spec.ClipSeconds) > 1e-9)
            throw new ConflictException($"the library's clips are {seconds} s long; the grounder '{grounder.Manifest.Name}' was trained on {spec.ClipSeconds}-s clips");
        if (model.Dimension != spec.VideoDim)
            throw new ConflictException($"the library's model gives {model.Dimension}-d clips; the grounder '{grounder.Manifest.Name}' was trained on {spec.VideoDim}-d {spec.VideoEncoder} features");
        var tokens = model.Text.EncodeTokens(sentence);
        if (tokens.States.Dimension != spec.TextDim)
            throw new ConflictException($"the library's model gives {tokens.States.Dimension}-d token features; the grounder '{grounder.Manifest.Name}' takes {spec.TextDim}-d ones");
        return new TrainedStage(grounder, tokens);
    }

    public (GroundingResult Result, WindowedPrediction Prediction) Ground(EmbeddingMatrix clips, ClipGrid grid)
    {
        var prediction = _grounder.Predict(clips.AsSpan(), clips.Count, _tokens.States.AsSpan(), _tokens.Count);
        return (TrainedGroundingResult.From(prediction, grid), prediction);
    }
}
