namespace Vireo.Research.Features;

/// <summary>
/// A dense n-dimensional array read from a file, row-major (C order) whatever the file's order, at the precision the
/// file stores: float16, float32 and integers of up to 16 bits are held as float32 (exactly), float64 and wider
/// integers as float64. Nothing is narrowed silently: <see cref="Data"/> is only the float32 values of a float32
/// array; a float64 array is read through <see cref="Doubles"/>, or narrowed on purpose with <see cref="ToSingle"/>.
/// Clip features are 2-D: [clips, dimensions].
/// </summary>
public sealed class FeatureArray
{
    private readonly float[]? _singles;
    private readonly double[]? _doubles;

    public FeatureArray(float[] data, int[] shape, string sourceDType = "<f4")
    {
        ArgumentNullException.ThrowIfNull(data);
        Shape = CheckShape(shape, data.Length);
        _singles = data;
        SourceDType = sourceDType;
    }

    public FeatureArray(double[] data, int[] shape, string sourceDType = "<f8")
    {
        ArgumentNullException.ThrowIfNull(data);
        Shape = CheckShape(shape, data.Length);
        _doubles = data;
        SourceDType = sourceDType;
    }

    /// <summary>True when the values are held as float64 (the file stores float64 or integers wider than 16 bits).</summary>
    public bool IsDoublePrecision => _doubles is not null;

    /// <summary>The float32 values, row-major; an error for a float64 array (read <see cref="Doubles"/>, or narrow with <see cref="ToSingle"/>).</summary>
    public float[] Data => _singles ?? throw new InvalidOperationException(
        $"the array {this} is stored at double precision: read Doubles, or call ToSingle() where float32 is wanted on purpose");

    /// <summary>The float64 values, row-major; an error for a float32 array (read <see cref="Data"/>).</summary>
    public double[] Doubles => _doubles ?? throw new InvalidOperationException($"the array {this} is stored at single precision: read Data");

    /// <summary>Number of values.</summary>
    public int Length => _singles?.Length ?? _doubles!.Length;

    /// <summary>
    /// The values as float32: the array itself for a float32 array, a narrowed copy for a float64 one. For code that
    /// computes in float32 by design (the grounding networks, as their official code casts features with
    /// <c>astype(np.float32)</c>); never for metrics.
    /// </summary>
    public float[] ToSingle()
    {
        if (_singles is not null)
            return _singles;
        var narrowed = new float[_doubles!.Length];
        for (var i = 0; i < narrowed.Length; i++)
            narrowed[i] = (float)_doubles[i];
        return narrowed;
    }

    /// <summary>The dimensions (empty for a scalar).</summary>
    public int[] Shape { get; }

    /// <summary>The element type in the file, as NumPy writes it (<c>&lt;f2</c>, <c>&lt;f4</c>, <c>&lt;f8</c>, ...).</summary>
    public string SourceDType { get; }

    /// <summary>Size of the first dimension (clips); 1 for a scalar.</summary>
    public int Rows => Shape.Length == 0 ? 1 : Shape[0];

    /// <summary>Values per row (the product of the other dimensions).</summary>
    public int Columns => Rows == 0 ? 0 : Length / Rows;

    /// <summary>Row <paramref name="index"/> (one clip's feature vector) of a float32 array.</summary>
    public ReadOnlySpan<float> Row(int index) => Data.AsSpan(index * Columns, Columns);

    public override string ToString() => $"{SourceDType} ({string.Join(", ", Shape)})";

    private static int[] CheckShape(int[] shape, int length)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count *= d;
        }
        if (count != length)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} values but data has {length}", nameof(shape));
        return shape;
    }
}
