using Vireo.Answers;
using Vireo.Library;
using Vireo.TimedText;

namespace Vireo.Cluster;

/// <summary>
/// The videos of one silo's shards, by a grain that runs on that silo (its key is the silo's name): catalog rows,
/// status, transcripts, grounding, thumbnails and the files' bytes, a chunk per call (memory stays bounded whatever the
/// file's size). Files are served only inside their library's roots (<see cref="RootsGuard"/>).
/// </summary>
public interface IShardVideoGrain : IGrainWithStringKey
{
    /// <summary>The catalog row of a video; null when the shard has none with that id.</summary>
    Task<LibraryVideo?> VideoAsync(string shard, long videoId);

    /// <summary>The shard's catalog: its size, and the rows [offset, offset + limit).</summary>
    Task<ShardCatalogPage> VideosAsync(string shard, int offset, int limit);

    Task<LibraryStatus> StatusAsync(string shard);

    /// <summary>The video's transcript, named by its shard-qualified key; null when the shard has no such indexed video.</summary>
    Task<TranscriptAnswer?> TranscriptAsync(string shard, long videoId, TextChannel[]? channels);

    /// <summary>
    /// The moments of a sentence in the video (stored clips; by the silo's trained grounder named <paramref name="grounder"/>,
    /// zero-shot when null); null when the shard has no such indexed video.
    /// </summary>
    Task<GroundAnswer?> GroundAsync(string shard, long videoId, string query, int top, string? grounder, GrainCancellationToken? cancellation = null);

    /// <summary>Whether the video's file may be served, and its facts.</summary>
    Task<ServedFileFacts> FileAsync(string shard, long videoId);

    /// <summary>Up to <paramref name="count"/> bytes of the file from <paramref name="offset"/> (fewer at its end; at most <see cref="MaxChunkBytes"/>).</summary>
    Task<byte[]> ReadAsync(string shard, long videoId, long offset, int count);

    Task<ServedThumbnailBytes> ThumbnailAsync(string shard, long videoId, double? seconds, int width, GrainCancellationToken? cancellation = null);

    /// <summary>The largest chunk one <see cref="ReadAsync"/> returns.</summary>
    const int MaxChunkBytes = 1024 * 1024;
}

/// <summary>A page of one shard's catalog and how many rows it has.</summary>
public sealed record ShardCatalogPage(int Total, LibraryVideo[] Videos);

/// <summary>A file as its silo would serve it: the state, and when served its name, size, content hash and time.</summary>
public sealed record ServedFileFacts(ServedFileState State, string Name, long Length, string ContentHash, DateTimeOffset LastModified);

/// <summary>A thumbnail as its silo serves it.</summary>
public sealed record ServedThumbnailBytes(ServedFileState State, byte[]? Jpeg);
