using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Vireo.Research.Datasets;

namespace Vireo.Research.Features;

/// <summary>
/// NumPy's <c>.npy</c> format (versions 1.0–3.0): float16, float32 and float64 (either byte order) and integer
/// dtypes, C or Fortran order. Values are returned in C order at the file's precision (<see cref="FeatureArray"/>:
/// float64 and wide integers as float64, the others as float32).
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static async Task<FeatureArray> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
            throw new DatasetFormatException(path, 0, "the file does not exist");
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Read(bytes, path);
    }

    /// <summary>Parses an .npy image; <paramref name="name"/> names it in errors.</summary>
    public static FeatureArray Read(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
            throw new DatasetFormatException(name, 0, "not a NumPy .npy array (bad magic)");
        var major = bytes[6];
        int headerLength, offset;
        switch (major)
        {
            case 1:
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
                offset = 10;
                break;
            case 2 or 3:
                if (bytes.Length < 12)
                    throw new DatasetFormatException(name, 0, "truncated .npy header");
                headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
                offset = 12;
                break;
            default:
                throw new DatasetFormatException(name, 0, $".npy format version {major} is not supported");
        }
        if (offset + headerLength > bytes.Length)
            throw new DatasetFormatException(name, 0, "truncated .npy header");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes.Slice(offset, headerLength));
        var (dtype, fortran, shape) = ParseHeader(header, name);
        var element = ElementType.Parse(dtype, name);
        long count = 1;
        foreach (var d in shape)
            count *= d;
        var body = bytes[(offset + headerLength)..];
        if (body.Length < count * element.Size)
            throw new DatasetFormatException(name, 0, $"truncated data: shape ({string.Join(", ", shape)}) of {dtype} needs {count * element.Size} bytes, {body.Length} present");
        var raw = body[..(int)(count * element.Size)];
        if (element.IsWide)
        {
            var doubles = new double[count];
            element.Convert(raw, doubles, name);
            return new FeatureArray(fortran && shape.Length > 1 ? FortranToC(doubles, shape) : doubles, shape, dtype);
        }
        var values = new float[count];
        element.Convert(raw, values);
        return new FeatureArray(fortran && shape.Length > 1 ? FortranToC(values, shape) : values, shape, dtype);
    }

    /// <summary>
    /// Writes an .npy (version 1.0) file in C or Fortran order: float32 by default, float16 with <paramref name="half"/>
    /// (narrowing on purpose), float64 for an array held at double precision.
    /// </summary>
    public static void Write(Stream stream, FeatureArray array, bool half = false, bool fortranOrder = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        if (array.IsDoublePrecision && !half)
        {
            WriteDoubles(stream, array, fortranOrder);
            return;
        }
        WriteHeader(stream, half ? "<f2" : "<f4", array.Shape, fortranOrder);
        var singles = array.ToSingle();
        var values = fortranOrder && array.Shape.Length > 1 ? CToFortran(singles, array.Shape) : singles;
        var buffer = new byte[values.Length * (half ? 2 : 4)];
        for (var i = 0; i < values.Length; i++)
        {
            if (half)
                BinaryPrimitives.WriteHalfLittleEndian(buffer.AsSpan(i * 2), (Half)values[i]);
            else
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), values[i]);
        }
        stream.Write(buffer);
    }

    private static void WriteDoubles(Stream stream, FeatureArray array, bool fortranOrder)
    {
        WriteHeader(stream, "<f8", array.Shape, fortranOrder);
        var values = fortranOrder && array.Shape.Length > 1 ? CToFortran(array.Doubles, array.Shape) : array.Doubles;
        var buffer = new byte[values.Length * sizeof(double)];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(i * sizeof(double)), values[i]);
        stream.Write(buffer);
    }

    private static void WriteHeader(Stream stream, string dtype, int[] dimensions, bool fortranOrder)
    {
        var shape = dimensions.Length == 1
            ? $"({dimensions[0]},)"
            : "(" + string.Join(", ", dimensions) + ")";
        var dict = $"{{'descr': '{dtype}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
        var unpadded = 10 + dict.Length + 1;
        var header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(Encoding.Latin1.GetBytes(header));
    }

    private static (string DType, bool Fortran, int[] Shape) ParseHeader(string header, string name)
    {
        var descr = DescrPattern().Match(header);
        var order = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shape.Success)
            throw new DatasetFormatException(name, 0, $"malformed .npy header: {header.Trim()}");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw new DatasetFormatException(name, 0, $"bad shape in .npy header: {header.Trim()}"))
            .ToArray();
        return (descr.Groups[1].Value, order.Groups[1].Value == "True", dims);
    }

    /// <summary>Reorders column-major values of <paramref name="shape"/> into row-major order.</summary>
    internal static T[] FortranToC<T>(T[] values, int[] shape) => Reorder(values, shape, toFortran: false);

    internal static T[] CToFortran<T>(T[] values, int[] shape) => Reorder(values, shape, toFortran: true);

    private static T[] Reorder<T>(T[] values, int[] shape, bool toFortran)
    {
        var n = shape.Length;
        var cStrides = new long[n];
        var fStrides = new long[n];
        long c = 1, f = 1;
        for (var d = n - 1; d >= 0; d--)
        {
            cStrides[d] = c;
            c *= shape[d];
        }
        for (var d = 0; d < n; d++)
        {
            fStrides[d] = f;
            f *= shape[d];
        }
        var result = new T[values.Length];
        var index = new int[n];
        for (long linear = 0; linear < values.Length; linear++)
        {
            long ci = 0, fi = 0;
            for (var d = 0; d < n; d++)
            {
                ci += index[d] * cStrides[d];
                fi += index[d] * fStrides[d];
            }
            if (toFortran)
                result[fi] = values[ci];
            else
                result[ci] = values[fi];
            for (var d = n - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d])
                    break;
                index[d] = 0;
            }
        }
        return result;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
