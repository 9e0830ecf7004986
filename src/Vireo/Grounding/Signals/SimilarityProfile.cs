using System.Numerics.Tensors;
using Vireo.Temporal;

namespace Vireo.Grounding.Signals;

/// <summary>
/// The similarity curve of one query over one video and the statistics proposal scoring needs in O(1) per span.
/// <para>
/// <see cref="Similarities"/>[i] is the cosine similarity of clip i with the query (the dot product of the two unit
/// vectors), in [−1, 1]: this raw curve is the saliency curve Vireo reports. Span statistics weight each clip by its
/// duration in clips (1, except a partial last clip: its fraction of a clip), so a 0.4 s last clip counts for 0.2 of
/// a clip; sums come from prefix sums.
/// </para>
/// </summary>
public sealed class SimilarityProfile
{
    private readonly float[] _similarities;
    private readonly double[] _prefix; // _prefix[i] = weighted sum of similarities of clips 0..i-1
    private readonly double[] _prefixSquares; // the same for squared similarities
    private readonly double _lastWeight;

    private SimilarityProfile(float[] similarities, ClipGrid grid)
    {
        _similarities = similarities;
        Grid = grid;
        var n = similarities.Length;
        _lastWeight = grid[n - 1].Length / grid.ClipLength;
        _prefix = new double[n + 1];
        _prefixSquares = new double[n + 1];
        for (var i = 0; i < n; i++)
        {
            var w = i == n - 1 ? _lastWeight : 1;
            _prefix[i + 1] = _prefix[i] + w * similarities[i];
            _prefixSquares[i + 1] = _prefixSquares[i] + w * similarities[i] * similarities[i];
        }
        TotalWeight = n - 1 + _lastWeight;
        Mean = _prefix[n] / TotalWeight;
        double squares = 0;
        for (var i = 0; i < n; i++)
        {
            var d = similarities[i] - Mean;
            squares += (i == n - 1 ? _lastWeight : 1) * d * d;
        }
        StandardDeviation = Math.Sqrt(squares / TotalWeight);
    }

    /// <summary>The curve of <paramref name="query"/> (unit length, the video's dimension) over <paramref name="video"/>.</summary>
    public static SimilarityProfile Compute(GroundingVideo video, ReadOnlySpan<float> query)
    {
        ArgumentNullException.ThrowIfNull(video);
        CheckQuery(query, video.Clips.Dimension);
        var similarities = new float[video.ClipCount];
        for (var i = 0; i < similarities.Length; i++)
            similarities[i] = TensorPrimitives.Dot(video.Clips[i], query);
        return new SimilarityProfile(similarities, video.Grid);
    }

    /// <summary>A profile from a similarity curve computed elsewhere (one value per clip of <paramref name="grid"/>).</summary>
    public static SimilarityProfile FromSimilarities(ReadOnlySpan<float> similarities, ClipGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (similarities.Length == 0 || similarities.Length != grid.Count)
            throw new ArgumentException($"{similarities.Length} similarities do not match the video's {grid.Count} clips", nameof(similarities));
        for (var i = 0; i < similarities.Length; i++)
        {
            if (!float.IsFinite(similarities[i]))
                throw new ArgumentException($"the similarity of clip {i} is {similarities[i]}", nameof(similarities));
        }
        return new SimilarityProfile(similarities.ToArray(), grid);
    }

    /// <summary>Cosine similarity of each clip with the query (the raw saliency curve).</summary>
    public ReadOnlySpan<float> Similarities => _similarities;

    public ClipGrid Grid { get; }

    /// <summary>Number of clips.</summary>
    public int Count => _similarities.Length;

    /// <summary>The video's length in clips (the partial last clip counted by its fraction).</summary>
    public double TotalWeight { get; }

    /// <summary>Duration-weighted sum of the similarities over the video.</summary>
    public double TotalSum => _prefix[Count];

    /// <summary>Duration-weighted sum of the squared similarities over the video.</summary>
    public double TotalSumOfSquares => _prefixSquares[Count];

    /// <summary>Duration-weighted mean similarity over the video.</summary>
    public double Mean { get; }

    /// <summary>Duration-weighted (population) standard deviation of the similarities over the video.</summary>
    public double StandardDeviation { get; }

    /// <summary>Length of <paramref name="span"/> in clips (the partial last clip counted by its fraction).</summary>
    public double Weight(ClipSpan span) => span.End == Count ? span.Length - 1 + _lastWeight : span.Length;

    /// <summary>Duration-weighted sum of the similarities inside <paramref name="span"/>.</summary>
    public double Sum(ClipSpan span) => _prefix[span.End] - _prefix[span.Start];

    /// <summary>Mean similarity inside <paramref name="span"/>.</summary>
    public double MeanInside(ClipSpan span) => Sum(span) / Weight(span);

    /// <summary>Duration-weighted sum of the squared similarities inside <paramref name="span"/>.</summary>
    public double SumOfSquares(ClipSpan span) => _prefixSquares[span.End] - _prefixSquares[span.Start];

    /// <summary>Duration-weighted (population) variance of the similarities inside <paramref name="span"/>.</summary>
    public double VarianceInside(ClipSpan span)
    {
        var weight = Weight(span);
        var mean = Sum(span) / weight;
        return Math.Max(0, SumOfSquares(span) / weight - mean * mean);
    }

    /// <summary>Duration-weighted variance of the rest of the video; NaN when the span is the whole video.</summary>
    public double VarianceOutside(ClipSpan span)
    {
        var weight = TotalWeight - Weight(span);
        if (weight <= 1e-9)
            return double.NaN;
        var mean = (_prefix[Count] - Sum(span)) / weight;
        return Math.Max(0, (_prefixSquares[Count] - SumOfSquares(span)) / weight - mean * mean);
    }

    /// <summary>Mean similarity of the rest of the video; NaN when the span is the whole video.</summary>
    public double MeanOutside(ClipSpan span)
    {
        var weight = TotalWeight - Weight(span);
        return weight > 1e-9 ? (_prefix[Count] - Sum(span)) / weight : double.NaN;
    }

    /// <summary>
    /// The curve with the clips of <paramref name="explained"/> set to the mean similarity of the other clips: what is
    /// left to find once those moments are found, so that spans reaching into them no longer borrow their similarity
    /// and they no longer raise the "outside" of the others.
    /// </summary>
    public SimilarityProfile WithBackground(IReadOnlyList<ClipSpan> explained)
    {
        ArgumentNullException.ThrowIfNull(explained);
        var isExplained = new bool[Count];
        foreach (var span in explained)
            isExplained.AsSpan(span.Start, span.Length).Fill(true);
        double sum = 0, weight = 0;
        for (var i = 0; i < Count; i++)
        {
            if (isExplained[i])
                continue;
            var w = i == Count - 1 ? _lastWeight : 1;
            sum += w * _similarities[i];
            weight += w;
        }
        if (weight <= 0)
            return this;
        var background = (float)(sum / weight);
        var residual = _similarities.ToArray();
        for (var i = 0; i < Count; i++)
        {
            if (isExplained[i])
                residual[i] = background;
        }
        return new SimilarityProfile(residual, Grid);
    }

    /// <summary>The curve min-max normalised to [0, 1] (all zeros when it is flat): the same ranking, a fixed scale for display.</summary>
    public float[] Normalized()
    {
        var min = TensorPrimitives.Min(Similarities);
        var max = TensorPrimitives.Max(Similarities);
        var normalized = new float[Count];
        if (max > min)
        {
            TensorPrimitives.Subtract(Similarities, min, normalized);
            TensorPrimitives.Divide(normalized, max - min, normalized);
        }
        return normalized;
    }

    internal static void CheckQuery(ReadOnlySpan<float> query, int dimension)
    {
        if (query.Length != dimension)
            throw new ArgumentException($"the query embedding has {query.Length} dimensions, the clip embeddings {dimension}", nameof(query));
        var norm = TensorPrimitives.Norm(query);
        if (!float.IsFinite(norm))
            throw new ArgumentException("the query embedding contains NaN or infinity", nameof(query));
        if (Math.Abs(norm - 1) > 0.02f)
            throw new ArgumentException($"the query embedding has length {norm:0.####}; it must be unit length (normalise it)", nameof(query));
    }
}
