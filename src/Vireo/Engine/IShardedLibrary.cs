using Vireo.Answers;
using Vireo.Library;
using Vireo.Relocalization;
using Vireo.Retrieval;
using Vireo.Temporal;
using Vireo.TimedText;

namespace Vireo.Engine;

/// <summary>
/// A library whose videos lie on shards elsewhere (a cluster's), as a host serves it: searches and find-clip scattered
/// over every shard and gathered into one answer (naming the shards that did not answer), and each video's data
/// (catalog row, transcript, grounding, thumbnail, file bytes) from the shard that holds it. Videos are named by
/// shard-qualified <see cref="VideoKey"/>s. Errors: a key naming no video is <see cref="Errors.ErrorKind.NotFound"/>; a video
/// whose shard does not answer is <see cref="Shards.ShardUnavailableException"/>.
/// </summary>
public interface IShardedLibrary
{
    /// <summary>The model the shards were indexed with (its name).</summary>
    string ModelName { get; }

    Task<SearchResult> SearchAsync(string query, SearchOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// Where [<paramref name="spanStart"/>, <paramref name="spanEnd"/>] of a library video (its start and end when null) occurs in
    /// the library; the query's own span is not reported.
    /// </summary>
    Task<FoundClip> FindClipAsync(VideoKey video, double? spanStart, double? spanEnd, RelocalizationOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// The moments of one video for a sentence (from its stored clips), at most <paramref name="top"/>: by the trained
    /// grounder named <paramref name="grounder"/> as the video's machine has it imported, or zero-shot when null.
    /// </summary>
    Task<GroundAnswer> GroundAsync(VideoKey video, string query, int top, string? grounder, CancellationToken cancellationToken);

    /// <summary>A page of the catalog: the shards in name order, each in its own order.</summary>
    Task<ShardedVideoPage> VideosAsync(int offset, int limit, CancellationToken cancellationToken);

    Task<LibraryStatus> StatusAsync(CancellationToken cancellationToken);

    Task<TranscriptAnswer> TranscriptAsync(VideoKey video, IReadOnlyCollection<TextChannel>? channels, CancellationToken cancellationToken);

    /// <summary>The video's file as its shard serves it (only inside its library's roots): its facts and a seekable stream of its bytes.</summary>
    Task<ServedVideoFile> OpenAsync(VideoKey video, CancellationToken cancellationToken);

    /// <summary>A JPEG frame of the video at <paramref name="seconds"/> (its middle when null), <paramref name="width"/> pixels wide.</summary>
    Task<ServedThumbnail> ThumbnailAsync(VideoKey video, double? seconds, int width, CancellationToken cancellationToken);
}

/// <summary>A find-clip answer and the span of the query video it looked for.</summary>
public sealed record FoundClip(RelocalizationResult Result, TemporalWindow Span);

/// <summary>A video of a shard.</summary>
public sealed record ShardVideo(string Shard, LibraryVideo Video);

/// <summary>A page of a sharded catalog, and the shards that did not answer (their videos are neither listed nor counted).</summary>
public sealed record ShardedVideoPage(int Total, IReadOnlyList<ShardVideo> Videos, IReadOnlyList<string> MissingShards);

/// <summary>A video's file as its shard serves it: when <see cref="State"/> is served, its name, size, content hash, time and bytes.</summary>
public sealed record ServedVideoFile(ServedFileState State, string Name, long Length, string ContentHash, DateTimeOffset LastModified, Stream? Content);

/// <summary>A thumbnail as its shard serves it: the JPEG when <see cref="State"/> is served.</summary>
public sealed record ServedThumbnail(ServedFileState State, byte[]? Jpeg);
