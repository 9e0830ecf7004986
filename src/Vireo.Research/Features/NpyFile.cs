using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Vireo.Research.Datasets;

namespace Vireo.Research.Features;

/// <summary>
/// NumPy's <c>.npy</c> format (versions 1.0–3.0): float16, float32 and float64 (either byte order) and integer
/// dtypes, C or Fortran order. Values are converted to float32 in C order.
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
        var values = new float[count];
        element.Convert(body[..(int)(count * element.Size)], values);
        if (fortran && shape.Length > 1)
            values = FortranToC(values, shape);
        return new FeatureArray(values, shape, dtype);
    }

    /// <summary>Writes an .npy (version 1.0) file: float32 by default, float16 with <paramref name="half"/>, in C or Fortran order.</summary>
    public static void Write(Stream stream, FeatureArray array, bool half = false, bool fortranOrder = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        var shape = array.Shape.Length == 1
            ? $"({array.Shape[0]},)"
            : "(" + string.Join(", ", array.Shape) + ")";
        var dict = $"{{'descr': '{(half ? "<f2" : "<f4")}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shape}, }}";
        var unpadded = 10 + dict.Length + 1;
        var header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(Encoding.Latin1.GetBytes(header));
        var values = fortranOrder && array.Shape.Length > 1 ? CToFortran(array.Data, array.Shape) : array.Data;
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
    internal static float[] FortranToC(float[] values, int[] shape) => Reorder(values, shape, toFortran: false);

    internal static float[] CToFortran(float[] values, int[] shape) => Reorder(values, shape, toFortran: true);

    private static float[] Reorder(float[] values, int[] shape, bool toFortran)
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
        var result = new float[values.Length];
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
