using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Vireo.Index;

/// <summary>What an index file holds: centroids (IVF only) and the lists.</summary>
internal sealed record IndexSnapshot(int Dimension, float[]? Centroids, VectorList[] Lists, int Count, long TrainedCount, int DefaultProbes);

/// <summary>
/// The vector index file (little-endian). A 64-byte header, then sections each starting at a multiple of 64 bytes
/// (zero padding between them), then a 16-byte trailer:
/// <code>
/// header   0  8  magic "VIREOVIX"
///          8  4  format version (1)
///         12  4  kind: 1 exact, 2 IVF
///         16  4  dimension D
///         20  4  list count L
///         24  8  vector count N
///         32  8  trained count (IVF: vectors when the centroids were trained; exact: 0)
///         40  4  default probes (IVF; exact: 0)
///         44  4  element type of the vectors: 1 = float16
///         48  8  reserved (0)
///         56  8  XxHash3-64 of bytes 0..55
/// sections   centroids  L × D float32 (IVF only)
///            list sizes L × int32 (their sum is N)
///            ids        N × int64, list after list
///            vectors    N × D float16, in the same order
/// trailer  XxHash3-64 of every byte before the trailer, then "VIXEND\0\0"
/// </code>
/// The file is written to a temporary file in the same folder, flushed to disk and renamed over the target, so a
/// crash leaves the old file or the new one. Reading checks the header's checksum, the file length the header
/// implies and the list sizes before allocating, and the checksum of the whole file before returning anything.
/// </summary>
internal static class IndexFile
{
    public const int FormatVersion = 1;
    private const int HeaderBytes = 64;
    private const int Alignment = 64;
    private const int TrailerBytes = 16;
    private const int BufferBytes = 1 << 20;
    private const int KindExact = 1;
    private const int KindIvf = 2;
    private const int ElementFloat16 = 1;
    private static readonly byte[] Magic = "VIREOVIX"u8.ToArray();
    private static readonly byte[] EndMagic = "VIXEND\0\0"u8.ToArray();

    public static async Task WriteAsync(string path, IndexSnapshot index, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndian();
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                var writer = new HashingWriter(stream);
                var header = Header(index);
                await writer.WriteAsync(header, 0, header.Length, cancellationToken).ConfigureAwait(false);
                var lists = index.Lists;
                if (index.Centroids is { } centroids)
                    await writer.WriteAsync(centroids, 0, centroids.Length, cancellationToken).ConfigureAwait(false);
                await writer.PadAsync(cancellationToken).ConfigureAwait(false);
                var sizes = new int[lists.Length];
                for (var l = 0; l < lists.Length; l++)
                    sizes[l] = lists[l].Count;
                await writer.WriteAsync(sizes, 0, sizes.Length, cancellationToken).ConfigureAwait(false);
                await writer.PadAsync(cancellationToken).ConfigureAwait(false);
                foreach (var list in lists)
                    await writer.WriteAsync(list.Ids, 0, list.Count, cancellationToken).ConfigureAwait(false);
                await writer.PadAsync(cancellationToken).ConfigureAwait(false);
                foreach (var list in lists)
                    await writer.WriteAsync(list.Rows, 0, list.Count * index.Dimension, cancellationToken).ConfigureAwait(false);
                await writer.PadAsync(cancellationToken).ConfigureAwait(false);
                await writer.WriteTrailerAsync(EndMagic, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public static async Task<IndexSnapshot> ReadAsync(string path, int? expectedDimension, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireLittleEndian();
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new IndexFileException(path, "file not found or not readable", e);
        }
        await using (stream.ConfigureAwait(false))
        {
            var reader = new HashingReader(stream, path);
            var header = new byte[HeaderBytes];
            var length = stream.Length;
            await reader.ReadAsync(header, 0, (int)Math.Min(length, HeaderBytes), cancellationToken).ConfigureAwait(false);
            if (length < Magic.Length || !header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
                throw new IndexFileException(path, "not a Vireo vector index (bad magic)");
            if (length < HeaderBytes)
                throw new IndexFileException(path, $"truncated: {length} bytes, shorter than the {HeaderBytes}-byte header");
            var (kind, dimension, listCount, count, trainedCount, probes) = ParseHeader(header, path);
            if (expectedDimension is { } expected && expected != dimension)
                throw new DimensionMismatchException(expected, dimension, $"vector index file '{path}'");
            var expectedLength = Layout(kind, dimension, listCount, count);
            if (stream.Length != expectedLength)
            {
                throw new IndexFileException(path, stream.Length < expectedLength
                    ? $"truncated: {stream.Length} bytes, the header announces {expectedLength}"
                    : $"{stream.Length - expectedLength} unexpected bytes after the {expectedLength} the header announces");
            }

            float[]? centroids = null;
            if (kind == KindIvf)
            {
                centroids = new float[listCount * dimension];
                await reader.ReadAsync(centroids, 0, centroids.Length, cancellationToken).ConfigureAwait(false);
            }
            await reader.SkipPaddingAsync(cancellationToken).ConfigureAwait(false);
            var sizes = new int[listCount];
            await reader.ReadAsync(sizes, 0, listCount, cancellationToken).ConfigureAwait(false);
            await reader.SkipPaddingAsync(cancellationToken).ConfigureAwait(false);
            var sum = 0L;
            foreach (var size in sizes)
            {
                if (size < 0)
                    throw new IndexFileException(path, $"damaged: a list of {size} vectors");
                sum += size;
            }
            if (sum != count)
                throw new IndexFileException(path, $"damaged: the lists hold {sum} vectors, the header says {count}");
            var lists = new VectorList[listCount];
            for (var l = 0; l < listCount; l++)
            {
                var ids = new long[sizes[l]];
                await reader.ReadAsync(ids, 0, ids.Length, cancellationToken).ConfigureAwait(false);
                lists[l] = new VectorList(ids, [], sizes[l]);
            }
            await reader.SkipPaddingAsync(cancellationToken).ConfigureAwait(false);
            for (var l = 0; l < listCount; l++)
            {
                var rows = new Half[sizes[l] * dimension];
                await reader.ReadAsync(rows, 0, rows.Length, cancellationToken).ConfigureAwait(false);
                lists[l] = new VectorList(lists[l].Ids, rows, sizes[l]);
            }
            await reader.SkipPaddingAsync(cancellationToken).ConfigureAwait(false);
            await reader.VerifyTrailerAsync(EndMagic, cancellationToken).ConfigureAwait(false);
            return new IndexSnapshot(dimension, centroids, lists, (int)count, trainedCount, probes);
        }
    }

    private static byte[] Header(IndexSnapshot index)
    {
        var header = new byte[HeaderBytes];
        var span = header.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], index.Centroids is null ? KindExact : KindIvf);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], index.Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(span[20..], index.Lists.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], index.Count);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], index.TrainedCount);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], index.DefaultProbes);
        BinaryPrimitives.WriteInt32LittleEndian(span[44..], ElementFloat16);
        BinaryPrimitives.WriteUInt64LittleEndian(span[56..], XxHash3.HashToUInt64(span[..56]));
        return header;
    }

    private static (int Kind, int Dimension, int Lists, long Count, long Trained, int Probes) ParseHeader(byte[] header, string path)
    {
        var span = header.AsSpan();
        if (BinaryPrimitives.ReadUInt64LittleEndian(span[56..]) != XxHash3.HashToUInt64(span[..56]))
            throw new IndexFileException(path, "damaged header (checksum mismatch)");
        var version = BinaryPrimitives.ReadInt32LittleEndian(span[8..]);
        if (version != FormatVersion)
            throw new IndexFileException(path, $"format version {version} is not supported (this build reads version {FormatVersion})");
        var kind = BinaryPrimitives.ReadInt32LittleEndian(span[12..]);
        var dimension = BinaryPrimitives.ReadInt32LittleEndian(span[16..]);
        var lists = BinaryPrimitives.ReadInt32LittleEndian(span[20..]);
        var count = BinaryPrimitives.ReadInt64LittleEndian(span[24..]);
        var element = BinaryPrimitives.ReadInt32LittleEndian(span[44..]);
        if (kind is not (KindExact or KindIvf) || element != ElementFloat16)
            throw new IndexFileException(path, $"unknown index kind {kind} or element type {element}");
        if (dimension is <= 0 or > 65_536 || lists < 0 || count is < 0 or > int.MaxValue || (kind == KindIvf && lists == 0)
            || (long)lists * dimension > Array.MaxLength || count * dimension > (long)Array.MaxLength * Math.Max(lists, 1))
            throw new IndexFileException(path, $"implausible sizes: dimension {dimension}, {lists} lists, {count} vectors");
        return (kind, dimension, lists, count, BinaryPrimitives.ReadInt64LittleEndian(span[32..]), BinaryPrimitives.ReadInt32LittleEndian(span[40..]));
    }

    /// <summary>The length of a file with these sizes.</summary>
    private static long Layout(int kind, int dimension, int lists, long count)
    {
        var length = (long)HeaderBytes;
        if (kind == KindIvf)
            length += (long)lists * dimension * sizeof(float);
        length = Align(length) + (long)lists * sizeof(int);
        length = Align(length) + count * sizeof(long);
        length = Align(length) + count * dimension * 2;
        return Align(length) + TrailerBytes;
    }

    private static long Align(long offset) => (offset + Alignment - 1) / Alignment * Alignment;

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("vector index files are read and written on little-endian machines only");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Writes arrays through a buffer, hashing every byte.</summary>
    private sealed class HashingWriter(Stream stream)
    {
        private readonly byte[] _buffer = new byte[BufferBytes];
        private readonly XxHash3 _hash = new();
        private long _position;

        public async Task WriteAsync<T>(T[] values, int start, int count, CancellationToken cancellationToken)
            where T : unmanaged
        {
            var chunk = BufferBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            for (var done = 0; done < count; done += chunk)
            {
                var bytes = MemoryMarshal.AsBytes(values.AsSpan(start + done, Math.Min(chunk, count - done)));
                bytes.CopyTo(_buffer);
                await PutAsync(bytes.Length, cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task PadAsync(CancellationToken cancellationToken)
        {
            var n = (int)(Align(_position) - _position);
            if (n == 0)
                return;
            Array.Clear(_buffer, 0, n);
            await PutAsync(n, cancellationToken).ConfigureAwait(false);
        }

        public async Task WriteTrailerAsync(byte[] endMagic, CancellationToken cancellationToken)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer, _hash.GetCurrentHashAsUInt64());
            endMagic.CopyTo(_buffer, 8);
            await stream.WriteAsync(_buffer.AsMemory(0, TrailerBytes), cancellationToken).ConfigureAwait(false);
        }

        private async Task PutAsync(int n, CancellationToken cancellationToken)
        {
            _hash.Append(_buffer.AsSpan(0, n));
            await stream.WriteAsync(_buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            _position += n;
        }
    }

    /// <summary>Reads arrays through a buffer, hashing every byte.</summary>
    private sealed class HashingReader(Stream stream, string path)
    {
        private readonly byte[] _buffer = new byte[BufferBytes];
        private readonly XxHash3 _hash = new();
        private long _position;

        public async Task ReadAsync<T>(T[] values, int start, int count, CancellationToken cancellationToken)
            where T : unmanaged
        {
            var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            var chunk = BufferBytes / size;
            for (var done = 0; done < count; done += chunk)
            {
                var m = Math.Min(chunk, count - done);
                await TakeAsync(m * size, cancellationToken).ConfigureAwait(false);
                _buffer.AsSpan(0, m * size).CopyTo(MemoryMarshal.AsBytes(values.AsSpan(start + done, m)));
            }
        }

        public Task SkipPaddingAsync(CancellationToken cancellationToken) =>
            TakeAsync((int)(Align(_position) - _position), cancellationToken);

        public async Task VerifyTrailerAsync(byte[] endMagic, CancellationToken cancellationToken)
        {
            var computed = _hash.GetCurrentHashAsUInt64();
            await stream.ReadExactlyAsync(_buffer.AsMemory(0, TrailerBytes), cancellationToken).ConfigureAwait(false);
            if (!_buffer.AsSpan(8, 8).SequenceEqual(endMagic))
                throw new IndexFileException(path, "damaged: the end marker is missing");
            if (BinaryPrimitives.ReadUInt64LittleEndian(_buffer) != computed)
                throw new IndexFileException(path, "damaged: checksum mismatch (the file changed after it was written)");
        }

        private async Task TakeAsync(int n, CancellationToken cancellationToken)
        {
            if (n == 0)
                return;
            try
            {
                await stream.ReadExactlyAsync(_buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException e)
            {
                throw new IndexFileException(path, "truncated while reading", e);
            }
            _hash.Append(_buffer.AsSpan(0, n));
            _position += n;
        }
    }
}
