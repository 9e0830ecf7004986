namespace Vireo.Research.Features;

/// <summary>
/// A dense n-dimensional array of features read from a file, converted to float32 and stored row-major (C order)
/// whatever the file's dtype and order. Clip features are 2-D: [clips, dimensions].
/// </summary>
public sealed class FeatureArray
{
    public FeatureArray(float[] data, int[] shape, string sourceDType = "<f4")
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count *= d;
        }
        if (count != data.Length)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} values but data has {data.Length}", nameof(data));
        Data = data;
        Shape = shape;
        SourceDType = sourceDType;
    }

    /// <summary>The values, row-major.</summary>
    public float[] Data { get; }

    /// <summary>The dimensions (empty for a scalar).</summary>
    public int[] Shape { get; }

    /// <summary>The element type in the file, as NumPy writes it (<c>&lt;f2</c>, <c>&lt;f4</c>, <c>&lt;f8</c>, ...).</summary>
    public string SourceDType { get; }

    /// <summary>Size of the first dimension (clips); 1 for a scalar.</summary>
    public int Rows => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Values per row (the product of the other dimensions).</summary>
    public int Columns => Rows == 0 ? 0 : Data.Length / Rows;

    /// <summary>Row <paramref name="index"/> (one clip's feature vector).</summary>
    public ReadOnlySpan<float> Row(int index) => Data.AsSpan(index * Columns, Columns);

    public override string ToString() => $"{SourceDType} ({string.Join(", ", Shape)})";
}
