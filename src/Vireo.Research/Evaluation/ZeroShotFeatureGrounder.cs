using Vireo.Grounding;

namespace Vireo.Research.Evaluation;

/// <summary>Vireo's zero-shot grounding (<see cref="ZeroShotGrounder"/>) as an <see cref="IMomentGrounder"/> on precomputed features.</summary>
public sealed class ZeroShotFeatureGrounder(GroundingOptions? options = null) : IMomentGrounder
{
    public ZeroShotGrounder Grounder { get; } = new(options);

    /// <remarks>
    /// Clip features [clips, dim] and a sentence embedding [dim] (or [1, dim]) of the same joint space; both are
    /// normalised here. For QVHighlights' released CLIP text features pass <c>pooler_output</c> (the projected
    /// end-of-text embedding), not the token-level <c>last_hidden_state</c>. The clip grid is the query's duration cut
    /// in <see cref="GroundingInput.ClipLength"/> clips; features for clips past the duration are ignored, and when
    /// there are fewer features than clips the video is taken to end with the last featured clip.
    /// </remarks>
    public ValueTask<GroundingPrediction> GroundAsync(GroundingInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var video = PrecomputedInput.ToVideo(input);
        var query = PrecomputedInput.ToQuery(input, video.Clips.Dimension);
        var result = Grounder.Ground(video, query, cancellationToken);
        return ValueTask.FromResult(result.ToPrediction(input.Query.QueryId, input.Query.VideoId, input.Query.Sentence));
    }
}
