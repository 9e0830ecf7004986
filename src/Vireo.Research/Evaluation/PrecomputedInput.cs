using Vireo.Errors;
using Vireo.Research.Datasets;
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
            throw Features(input.ClipFeaturesSource, $"the clip features of video {query.VideoId} are {features}, not [clips, dim]");
        var grid = new ClipGrid(query.Duration, input.ClipLength);
        if (grid.Count == 0)
            throw RecordErrors.About(query, $"video {query.VideoId} of query {query.QueryId} has duration {query.Duration} s, so there is nothing to ground");
        if (features.Rows < grid.Count)
            grid = new ClipGrid(features.Rows * input.ClipLength, input.ClipLength);
        var clips = new EmbeddingMatrix(grid.Count, features.Columns);
        // Vireo's grounding computes in float32 (its embedding index stores float32): float64 features are narrowed here on purpose.
        features.ToSingle().AsSpan(0, clips.Count * clips.Dimension).CopyTo(clips.AsSpan());
        VectorMath.NormalizeRows(clips.AsSpan(), clips.Dimension);
        return new GroundingVideo(clips, grid);
    }

    public static float[] ToQuery(GroundingInput input, int dimension)
    {
        var text = input.TextFeatures;
        if (!(text.Shape.Length == 1 || (text.Shape.Length == 2 && text.Rows == 1)))
        {
            throw Features(input.TextFeaturesSource,
                $"the text features of query {input.Query.QueryId} are {text}: one sentence embedding [dim] is needed " +
                "(for QVHighlights' CLIP text features read key pooler_output, not the token-level last_hidden_state)");
        }
        if (text.Length != dimension)
            throw Features(input.TextFeaturesSource, $"the text embedding of query {input.Query.QueryId} has {text.Length} dimensions, the clip features {dimension}");
        var query = text.ToSingle().ToArray();
        VectorMath.NormalizeInPlace(query);
        return query;
    }

    /// <summary>An input error about a feature file (named when known).</summary>
    private static VireoException Features(string? file, string reason) =>
        file is not null ? new DatasetFormatException(file, 0, reason) : new InputException(null, reason);
}
