namespace Vireo.Cluster;

/// <summary>
/// A video file on another silo as a read-only, seekable stream: each read past the buffered chunk fetches the next
/// chunk (at most <see cref="IShardVideoGrain.MaxChunkBytes"/>) with one grain call, so memory stays at one chunk
/// whatever the file's size, and a range request reads only its range.
/// </summary>
internal sealed class GrainFileStream(Func<long, int, CancellationToken, Task<byte[]>> readChunk, long length) : Stream
{
    private byte[] _chunk = [];
    private long _chunkStart;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
            return 0;
        if (_position < _chunkStart || _position >= _chunkStart + _chunk.Length)
        {
            _chunk = await readChunk(_position, IShardVideoGrain.MaxChunkBytes, cancellationToken).ConfigureAwait(false);
            _chunkStart = _position;
            if (_chunk.Length == 0)
                throw new IOException("the file ended before its length: it changed on its silo while being read");
        }
        var offset = (int)(_position - _chunkStart);
        var count = Math.Min(buffer.Length, _chunk.Length - offset);
        _chunk.AsMemory(offset, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
