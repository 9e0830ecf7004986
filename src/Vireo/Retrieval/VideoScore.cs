using System.Numerics.Tensors;
using Vireo.Vectors;

namespace Vireo.Retrieval;

/// <summary>
/// Weights of <see cref="VideoScore"/>. Defaults: 0.5 mean-pooled video, 0.25 best clip, 0.25 best event. The
/// mean-pooled embedding (CLIP4Clip's meanP) is the strongest single cue on short, single-topic videos (MSR-VTT),
/// so it keeps half the weight; on long videos it is diluted by everything that is not the sentence, and the
/// fine-grained terms (ProST's coarse-plus-fine idea) find the part that matches: the best clip is the sharpest but
/// noisiest, the best event (a segment's prototype) is steadier; they share the other half. Weights are relative:
/// they are normalised to sum 1, and when a video has no events their weight goes to the other two in proportion.
/// </summary>
public sealed record VideoScoreWeights
{
    public static VideoScoreWeights Default { get; } = new();

    public double MeanPooled { get; init => field = Check(value); } = 0.5;

    public double BestClip { get; init => field = Check(value); } = 0.25;

    public double BestEvent { get; init => field = Check(value); } = 0.25;

    private static double Check(double value) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a weight must be finite and non-negative");
}

/// <summary>The parts of a video's score for one query: each a cosine similarity, and where the best clip and event lie.</summary>
public readonly record struct VideoMatch(double Score, double MeanPooled, double BestClip, int BestClipIndex, double BestEvent, int BestEventIndex);

/// <summary>
/// Text → video score: a weighted mean of cosine similarities of the query with the video's mean-pooled embedding,
/// with its best clip and with its best event prototype (<see cref="VideoScoreWeights"/>). All vectors unit length.
/// </summary>
public static class VideoScore
{
    /// <summary>Combines the three similarities; <paramref name="bestEvent"/> null when the video has no event prototypes.</summary>
    public static double Combine(double meanPooled, double bestClip, double? bestEvent, VideoScoreWeights? weights = null)
    {
        weights ??= VideoScoreWeights.Default;
        var eventWeight = bestEvent.HasValue ? weights.BestEvent : 0;
        var total = weights.MeanPooled + weights.BestClip + eventWeight;
        if (total <= 0)
            throw new ArgumentException("the weights of the available parts are all zero", nameof(weights));
        return (weights.MeanPooled * meanPooled + weights.BestClip * bestClip + eventWeight * (bestEvent ?? 0)) / total;
    }

    /// <summary>Scores a video from its embeddings: mean-pooled [dim], clips [n, dim] and event prototypes [m, dim] (or null).</summary>
    public static VideoMatch Compute(ReadOnlySpan<float> query, ReadOnlySpan<float> meanPooled, EmbeddingMatrix clips, EmbeddingMatrix? eventPrototypes,
        VideoScoreWeights? weights = null)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.Count == 0)
            throw new ArgumentException("the video has no clip embeddings", nameof(clips));
        if (query.Length != clips.Dimension || meanPooled.Length != clips.Dimension || (eventPrototypes is not null && eventPrototypes.Dimension != clips.Dimension))
            throw new ArgumentException($"the query ({query.Length}), mean-pooled ({meanPooled.Length}), clip ({clips.Dimension}) and event " +
                $"({eventPrototypes?.Dimension}) embeddings must have one dimension", nameof(query));
        var pooled = TensorPrimitives.Dot(query, meanPooled);
        var (clip, clipIndex) = Best(query, clips);
        var (best, eventIndex) = eventPrototypes is { Count: > 0 } events ? Best(query, events) : (double.NaN, -1);
        var score = Combine(pooled, clip, eventIndex >= 0 ? best : null, weights);
        if (!double.IsFinite(score))
            throw new ArgumentException("an embedding contains NaN or infinity", nameof(query));
        return new VideoMatch(score, pooled, clip, clipIndex, best, eventIndex);
    }

    private static (double Similarity, int Index) Best(ReadOnlySpan<float> query, EmbeddingMatrix rows)
    {
        var best = double.NegativeInfinity;
        var index = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var similarity = TensorPrimitives.Dot(query, rows[i]);
            if (similarity > best)
            {
                best = similarity;
                index = i;
            }
        }
        return (best, index);
    }
}
