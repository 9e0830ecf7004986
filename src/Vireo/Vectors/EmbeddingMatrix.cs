namespace Vireo.Vectors;

/// <summary>Row-major embeddings: <see cref="Count"/> vectors of <see cref="Dimension"/> floats in one array.</summary>
public sealed class EmbeddingMatrix
{
    public EmbeddingMatrix(int count, int dimension)
        : this(new float[checked(count * dimension)], count, dimension)
    {
    }

    public EmbeddingMatrix(float[] data, int count, int dimension)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (data.Length < (long)count * dimension)
            throw new ArgumentException($"{data.Length} floats cannot hold {count} x {dimension}", nameof(data));
        Data = data;
        Count = count;
        Dimension = dimension;
    }

    public float[] Data { get; }

    public int Count { get; }

    public int Dimension { get; }

    public Span<float> this[int row] => Data.AsSpan(checked(row * Dimension), Dimension);

    /// <summary>All values of the used rows.</summary>
    public Span<float> AsSpan() => Data.AsSpan(0, Count * Dimension);

    /// <summary>A copy of one row.</summary>
    public float[] Row(int row) => this[row].ToArray();
}
