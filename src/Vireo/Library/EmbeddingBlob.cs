using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Vireo.Vectors;

namespace Vireo.Library;

/// <summary>
/// Clip embeddings as stored in the catalog: float16, row-major, little-endian, with a CRC-32 kept beside them
/// so damage is detected on read rather than answered silently wrong.
/// </summary>
internal static class EmbeddingBlob
{
    public static byte[] Encode(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 2];
        TensorPrimitives.ConvertToHalf(values, MemoryMarshal.Cast<byte, Half>(bytes.AsSpan()));
        if (!BitConverter.IsLittleEndian)
            ReverseEndianness(bytes);
        return bytes;
    }

    public static uint Checksum(ReadOnlySpan<byte> bytes) => Crc32.HashToUInt32(bytes);

    /// <summary>Decodes <paramref name="rows"/> x <paramref name="dimension"/> float16 values, checking length and checksum.</summary>
    public static EmbeddingMatrix Decode(ReadOnlySpan<byte> bytes, int rows, int dimension, uint checksum, string what)
    {
        var matrix = new EmbeddingMatrix(rows, dimension);
        DecodeInto(bytes, matrix.AsSpan(), checksum, what);
        return matrix;
    }

    /// <summary>Decodes float16 values into <paramref name="target"/>, whose length says how many are expected.</summary>
    public static void DecodeInto(ReadOnlySpan<byte> bytes, Span<float> target, uint checksum, string what)
    {
        if (bytes.Length != target.Length * 2)
            throw new LibraryException(what, $"stored embeddings have {bytes.Length} bytes, expected {target.Length} float16 values ({target.Length * 2} bytes): the catalog is damaged");
        if (Checksum(bytes) != checksum)
            throw new LibraryException(what, "stored embeddings fail their checksum: the catalog is damaged (re-index this video)");
        if (BitConverter.IsLittleEndian)
        {
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes), target);
        }
        else
        {
            for (var i = 0; i < target.Length; i++)
                target[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]));
        }
    }

    private static void ReverseEndianness(byte[] bytes)
    {
        var words = MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan());
        BinaryPrimitives.ReverseEndianness(words, words);
    }
}
