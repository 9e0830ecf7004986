using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>
/// Writes a copy of a torch checkpoint with one training option's string value changed, by editing the pickle's bytes
/// (the option's key, its memo put, then the value as BINUNICODE: <c>X len utf8</c>), so tests get checkpoints of other
/// kinds without Python.
/// </summary>
internal static class CheckpointSurgery
{
    public static void ReplaceOptionString(string source, string destination, string key, string value)
    {
        using var input = ZipFile.OpenRead(source);
        using var output = ZipFile.Open(destination, ZipArchiveMode.Create);
        var edited = false;
        foreach (var entry in input.Entries)
        {
            using var reader = entry.Open();
            using var buffer = new MemoryStream();
            reader.CopyTo(buffer);
            var bytes = buffer.ToArray();
            if (entry.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))
            {
                bytes = Edit(bytes, key, value);
                edited = true;
            }
            var copy = output.CreateEntry(entry.FullName, CompressionLevel.NoCompression);
            using var writer = copy.Open();
            writer.Write(bytes);
        }
        if (!edited)
            throw new InvalidOperationException($"{source} has no data.pkl");
    }

    private static byte[] Edit(byte[] pickle, string key, string value)
    {
        var keyBytes = Unicode(key);
        var at = pickle.AsSpan().IndexOf(keyBytes);
        if (at < 0)
            throw new InvalidOperationException($"the pickle has no key '{key}'");
        var valueAt = at + keyBytes.Length;
        if (pickle[valueAt] == (byte)'r')
            valueAt += 5;     // LONG_BINPUT with a 4-byte memo index
        if (pickle[valueAt] != (byte)'X')
            throw new InvalidOperationException($"the value of '{key}' is not a BINUNICODE string");
        var oldLength = 5 + BinaryPrimitives.ReadInt32LittleEndian(pickle.AsSpan(valueAt + 1));
        return [.. pickle.AsSpan(0, valueAt), .. Unicode(value), .. pickle.AsSpan(valueAt + oldLength)];
    }

    private static byte[] Unicode(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var bytes = new byte[5 + utf8.Length];
        bytes[0] = (byte)'X';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(1), utf8.Length);
        utf8.CopyTo(bytes, 5);
        return bytes;
    }
}
