using System.Numerics.Tensors;
using Vireo.Vectors;

namespace Vireo.Relocalization;

/// <summary>
/// Cosine similarities of a query's clips (rows) with a candidate video's clips (columns), row-major. Rows are
/// unit vectors on both sides, so a dot product is the cosine.
/// </summary>
public sealed class SimilarityMatrix
{
    private readonly float[] _values;

    public SimilarityMatrix(float[] values, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (values.Length != (long)rows * columns)
            throw new ArgumentException($"{values.Length} values are not {rows} x {columns}", nameof(values));
        _values = values;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>The query's clips.</summary>
    public int Rows { get; }

    /// <summary>The candidate's clips.</summary>
    public int Columns { get; }

    public float this[int row, int column] => _values[row * Columns + column];

    /// <summary>One query clip against every candidate clip.</summary>
    public ReadOnlySpan<float> Row(int row) => _values.AsSpan(row * Columns, Columns);

    /// <summary>Every query clip against every candidate clip.</summary>
    public static SimilarityMatrix Compute(EmbeddingMatrix query, EmbeddingMatrix candidate)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidate);
        if (query.Dimension != candidate.Dimension)
            throw new ArgumentException($"the query has {query.Dimension} dimensions, the candidate {candidate.Dimension}", nameof(candidate));
        var values = new float[query.Count * candidate.Count];
        for (var i = 0; i < query.Count; i++)
        {
            ReadOnlySpan<float> row = query[i];
            var output = values.AsSpan(i * candidate.Count, candidate.Count);
            for (var j = 0; j < candidate.Count; j++)
                output[j] = TensorPrimitives.Dot(row, candidate[j]);
        }
        return new SimilarityMatrix(values, query.Count, candidate.Count);
    }

    /// <summary>
    /// The similarity a query clip has with unrelated content of this candidate: the mean over the query's clips of
    /// the median of their row. A match covers few cells of each row, so the median hardly sees it.
    /// </summary>
    public double Background()
    {
        var scratch = new float[Columns];
        var sum = 0.0;
        for (var i = 0; i < Rows; i++)
        {
            Row(i).CopyTo(scratch);
            Array.Sort(scratch);
            var middle = Columns / 2;
            sum += Columns % 2 == 1 ? scratch[middle] : (scratch[middle - 1] + scratch[middle]) / 2.0;
        }
        return sum / Rows;
    }
}
