using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vireo.Tests.Support;

/// <summary>A minimal reader of NumPy .npy files holding little-endian float32 arrays in C order.</summary>
public static partial class NpyFile
{
    public static (float[] Data, int[] Shape) ReadFloat32(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{path}: not a .npy file");
        var major = bytes[6];
        var headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        var headerStart = major == 1 ? 10 : 12;
        var header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        if (!header.Contains("'descr': '<f4'", StringComparison.Ordinal) || !header.Contains("'fortran_order': False", StringComparison.Ordinal))
            throw new InvalidDataException($"{path}: expected little-endian float32 in C order, header {header.Trim()}");
        var shape = ShapePattern().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var count = shape.Aggregate(1, (a, b) => a * b);
        var data = new float[count];
        var payload = bytes.AsSpan(headerStart + headerLength);
        if (payload.Length != count * 4)
            throw new InvalidDataException($"{path}: {payload.Length} data bytes for shape ({string.Join(", ", shape)})");
        for (var i = 0; i < count; i++)
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(payload[(i * 4)..]);
        return (data, shape);
    }

    [GeneratedRegex(@"'shape': \(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
