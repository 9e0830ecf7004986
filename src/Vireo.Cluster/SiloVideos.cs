using Vireo.Engine;
using Vireo.Grounding.Trained;
using Vireo.Library;
using Vireo.Models;
using Vireo.Relocalization;
using Vireo.Temporal;

namespace Vireo.Cluster;

/// <summary>
/// What a silo serves of each of its shards besides search: find-clip's phases, the catalog, grounding, thumbnails and
/// file bytes, under the same rules as a single library's server (<see cref="RootsGuard"/>: only files inside the
/// library's roots; <see cref="ThumbnailCache"/> in the library's folder).
/// </summary>
public sealed class SiloVideos(SiloShards shards) : IDisposable
{
    private readonly Dictionary<string, ShardVideos> _shards = new(StringComparer.Ordinal);

    /// <summary>The trained grounders a ground may name, from the silo's model store.</summary>
    public SharedGrounders Grounders => shards.Grounders;

    /// <summary>
    /// The services of the shard as the silo serves it now: a partition that left and came back (a new reader) gets new
    /// ones; those of the old reader are disposed.
    /// </summary>
    /// <exception cref="Shards.ShardUnavailableException">This silo has no such shard.</exception>
    public ShardVideos Get(string shard)
    {
        var reader = shards.Reader(shard);
        lock (_shards)
        {
            if (_shards.TryGetValue(shard, out var cached) && cached.Reader == reader)
                return cached;
            cached?.Dispose();
            return _shards[shard] = new ShardVideos(reader);
        }
    }

    public void Dispose()
    {
        lock (_shards)
        {
            foreach (var shard in _shards.Values)
                shard.Dispose();
            _shards.Clear();
        }
    }
}

/// <summary>One shard's services on its silo.</summary>
public sealed class ShardVideos(LibraryReader reader) : IDisposable
{
    /// <summary>The reader these services were made for.</summary>
    public LibraryReader Reader => reader;

    public VideoLibrary Library => reader.Library;

    public EmbeddingModel Model => reader.Model;

    public LocalClipShard Clips { get; } = new(reader);

    public RootsGuard Guard { get; } = new(reader.Library);

    public ThumbnailCache Thumbnails { get; } = new(reader.Library);

    /// <summary>Grounding and status as one library's engine gives them.</summary>
    public VireoEngine Engine { get; } = VireoEngine.Over(reader.Library, reader.Model);

    /// <summary><paramref name="span"/> of an indexed video embedded as a find-clip query; null when the shard has no such indexed video.</summary>
    public async Task<EmbeddedClip?> EmbedClipAsync(long videoId, TemporalWindow span, double fineStep, CancellationToken cancellationToken)
    {
        if (Library.Find(videoId) is not { Status: VideoStatus.Indexed } video)
            return null;
        var query = await ClipQuery.EmbedAsync(Model, video.Path, span, video.ClipLength, fineStep, cancellationToken).ConfigureAwait(false);
        return new EmbeddedClip(video.Path, ClipVectors.Of(query.Fine));
    }

    /// <summary>Up to <paramref name="count"/> bytes (at most <see cref="IShardVideoGrain.MaxChunkBytes"/>) of a servable file from <paramref name="offset"/>; none when it may not be served.</summary>
    public async Task<byte[]> ReadAsync(long videoId, long offset, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var (state, _, real) = Guard.Locate(videoId);
        if (state != ServedFileState.Served)
            return [];
        using var file = File.OpenHandle(real!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        var buffer = new byte[Math.Clamp(Math.Min(count, RandomAccess.GetLength(file) - offset), 0, IShardVideoGrain.MaxChunkBytes)];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await RandomAccess.ReadAsync(file, buffer.AsMemory(read), offset + read).ConfigureAwait(false);
            if (n == 0)
                break;
            read += n;
        }
        return read == buffer.Length ? buffer : buffer[..read];
    }

    public async Task<ServedThumbnailBytes> ThumbnailAsync(long videoId, double? seconds, int width, CancellationToken cancellationToken)
    {
        var (state, video, real) = Guard.Locate(videoId);
        if (state != ServedFileState.Served)
            return new ServedThumbnailBytes(state, null);
        var path = await Thumbnails.GetAsync(video!, real!, seconds ?? video!.Duration / 2, width, cancellationToken).ConfigureAwait(false);
        return new ServedThumbnailBytes(state, await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
    }

    public void Dispose()
    {
        Thumbnails.Dispose();
        Engine.Dispose();
    }
}
