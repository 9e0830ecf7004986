using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Vireo.Imaging;

/// <summary>Writes 8-bit RGB images as PNG (filter "Up" on every row, zlib at the fastest level).</summary>
public static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static void WriteRgb24(Stream output, ReadOnlySpan<byte> rgb, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var stride = checked(width * 3);
        if (rgb.Length != stride * height)
            throw new ArgumentException($"expected {stride * height} bytes of RGB24, got {rgb.Length}", nameof(rgb));

        output.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;  // bit depth
        header[9] = 2;  // colour type: truecolour
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[stride + 1];
            for (var y = 0; y < height; y++)
            {
                var current = rgb.Slice(y * stride, stride);
                row[0] = y == 0 ? (byte)0 : (byte)2; // None for the first row, Up for the others
                if (y == 0)
                {
                    current.CopyTo(row.AsSpan(1));
                }
                else
                {
                    var above = rgb.Slice((y - 1) * stride, stride);
                    for (var x = 0; x < stride; x++)
                        row[x + 1] = unchecked((byte)(current[x] - above[x]));
                }
                zlib.Write(row);
            }
        }
        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, []);
    }

    public static void WriteRgb24(string path, ReadOnlySpan<byte> rgb, int width, int height)
    {
        using var file = File.Create(path);
        WriteRgb24(file, rgb, width, height);
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        output.Write(word);
    }
}
