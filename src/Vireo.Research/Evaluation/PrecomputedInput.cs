using Vireo.Grounding;
using Vireo.Temporal;
using Vireo.Research.Features;
using Vireo.Media;
using Vireo.Vectors;
using Vireo.Grounding.Signals;

namespace Vireo.Research.Evaluation;

/// <summary>Turns precomputed features (<see cref="GroundingInput"/>) into a <see cref="GroundingVideo"/> and a query vector.</summary>
internal static class PrecomputedInput
{
    public static GroundingVideo ToVideo(GroundingInput input)
    {
        var features = input.ClipFeatures;
        var query = input.Query;
        if (features.Shape.Length != 2 || features.Rows == 0 || features.Columns == 0)
            throw new ArgumentException($"clip features of video {query.VideoId} must be [clips, dim], not {features}", nameof(input));
        var grid = new ClipGrid(query.Duration, input.ClipLength);
        if (grid.Count == 0)
            throw new ArgumentException($"video {query.VideoId} of query {query.QueryId} has duration {query.Duration} s: nothing to ground", nameof(input));
        if (features.Rows < grid.Count)
            grid = new ClipGrid(features.Rows * input.ClipLength, input.ClipLength);
        var clips = new EmbeddingMatrix(grid.Count, features.Columns);
        features.Data.AsSpan(0, clips.Count * clips.Dimension).CopyTo(clips.AsSpan());
        VectorMath.NormalizeRows(clips.AsSpan(), clips.Dimension);
        return new GroundingVideo(clips, grid);
    }

    public static float[] ToQuery(GroundingInput input, int dimension)
    {
        var text = input.TextFeatures;
        if (!(text.Shape.Length == 1 || (text.Shape.Length == 2 && text.Rows == 1)))
            throw new ArgumentException(
                $"text features of query {input.Query.QueryId} are {text}: one sentence embedding [dim] is needed " +
                "(for QVHighlights' CLIP text features read key pooler_output, not the token-level last_hidden_state)", nameof(input));
        if (text.Data.Length != dimension)
            throw new ArgumentException($"the text embedding of query {input.Query.QueryId} has {text.Data.Length} dimensions, the clip features {dimension}", nameof(input));
        var query = text.Data.ToArray();
        VectorMath.NormalizeInPlace(query);
        return query;
    }
}
