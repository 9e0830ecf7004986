using System.Buffers.Binary;
using Vireo.Research.Datasets;

namespace Vireo.Research.Features;

/// <summary>
/// A NumPy dtype string (<c>&lt;f2</c>, <c>&gt;f4</c>, <c>|u1</c>, ...) and its conversion without loss: to float32 for
/// the types float32 holds exactly (float16, float32, integers of up to 16 bits), to float64 for the others
/// (<see cref="IsWide"/>: float64, 32- and 64-bit integers; a 64-bit integer beyond ±2^53 is refused).
/// </summary>
internal sealed record ElementType(char Kind, int Size, bool BigEndian)
{
    private const double ExactIntegerLimit = 9007199254740992; // 2^53

    public static ElementType Parse(string dtype, string name)
    {
        if (dtype.Length < 3 || dtype[0] is not ('<' or '>' or '|' or '='))
            throw new DatasetFormatException(name, 0, $"unsupported dtype '{dtype}'");
        var kind = dtype[1];
        if (!int.TryParse(dtype.AsSpan(2), out var size) || !Supported(kind, size))
            throw new DatasetFormatException(name, 0, $"unsupported dtype '{dtype}' (float16/32/64 and integer types are read)");
        return new ElementType(kind, size, dtype[0] == '>');
    }

    /// <summary>True when float32 cannot hold every value of the type, so it is read as float64.</summary>
    public bool IsWide => (Size >= 4 && Kind != 'f') || Size == 8;

    private static bool Supported(char kind, int size) => kind switch
    {
        'f' => size is 2 or 4 or 8,
        'i' or 'u' => size is 1 or 2 or 4 or 8,
        'b' => size == 1,
        _ => false,
    };

    /// <summary>Values of a narrow type (<see cref="IsWide"/> false), exactly.</summary>
    public void Convert(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        if (IsWide)
            throw new InvalidOperationException($"dtype {Kind}{Size} does not fit float32");
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)Value(bytes.Slice(i * Size, Size));
    }

    /// <summary>Values of any type as float64; <paramref name="name"/> names the file when a 64-bit integer is not exact.</summary>
    public void Convert(ReadOnlySpan<byte> bytes, Span<double> values, string name)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var value = Value(bytes.Slice(i * Size, Size));
            if (Kind != 'f' && Math.Abs(value) > ExactIntegerLimit)
                throw new DatasetFormatException(name, 0, $"element {i} is the integer {value:R}, beyond ±2^53, which a float64 cannot hold exactly");
            values[i] = value;
        }
    }

    private double Value(ReadOnlySpan<byte> b) => (Kind, Size, BigEndian) switch
    {
        ('f', 2, false) => (double)BinaryPrimitives.ReadHalfLittleEndian(b),
        ('f', 2, true) => (double)BinaryPrimitives.ReadHalfBigEndian(b),
        ('f', 4, false) => BinaryPrimitives.ReadSingleLittleEndian(b),
        ('f', 4, true) => BinaryPrimitives.ReadSingleBigEndian(b),
        ('f', 8, false) => BinaryPrimitives.ReadDoubleLittleEndian(b),
        ('f', 8, true) => BinaryPrimitives.ReadDoubleBigEndian(b),
        ('i' or 'b', 1, _) => (sbyte)b[0],
        ('u', 1, _) => b[0],
        ('i', 2, var big) => big ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
        ('u', 2, var big) => big ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
        ('i', 4, var big) => big ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
        ('u', 4, var big) => big ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
        ('i', 8, var big) => big ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
        ('u', 8, var big) => big ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b),
        _ => throw new InvalidOperationException($"dtype {Kind}{Size}"),
    };
}
