using System.Numerics.Tensors;

namespace Vireo.Vectors;

/// <summary>Vector operations used across encoders, indexes and grounding.</summary>
public static class VectorMath
{
    /// <summary>Scales <paramref name="vector"/> to unit length in place; a zero vector stays zero.</summary>
    public static void NormalizeInPlace(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0 && float.IsFinite(norm))
            TensorPrimitives.Divide(vector, norm, vector);
    }

    /// <summary>Normalises each row of a row-major matrix of <paramref name="dimension"/> columns in place.</summary>
    public static void NormalizeRows(Span<float> rows, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (rows.Length % dimension != 0)
            throw new ArgumentException($"{rows.Length} values are not rows of {dimension}", nameof(rows));
        for (var offset = 0; offset < rows.Length; offset += dimension)
            NormalizeInPlace(rows.Slice(offset, dimension));
    }

    /// <summary>The mean of the given rows, normalised (mean pooling of unit vectors, as CLIP4Clip's meanP).</summary>
    public static void MeanPool(ReadOnlySpan<float> rows, int dimension, Span<float> destination, bool normalize = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (destination.Length != dimension)
            throw new ArgumentException("destination must hold one vector", nameof(destination));
        var count = rows.Length / dimension;
        destination.Clear();
        for (var i = 0; i < count; i++)
            TensorPrimitives.Add(destination, rows.Slice(i * dimension, dimension), destination);
        if (count > 0)
            TensorPrimitives.Divide(destination, count, destination);
        if (normalize)
            NormalizeInPlace(destination);
    }
}
