using Vireo.Answers;
using Vireo.Library;
using Vireo.TimedText;

namespace Vireo.Cluster;

/// <summary>The grain of <see cref="IShardVideoGrain"/>: answers from the silo's local shard (<see cref="SiloVideos"/>).</summary>
[SiloNamePlacement]
internal sealed class ShardVideoGrain(SiloVideos videos) : Grain, IShardVideoGrain
{
    public Task<LibraryVideo?> VideoAsync(string shard, long videoId) => Task.FromResult(videos.Get(shard).Library.Find(videoId));

    public Task<ShardCatalogPage> VideosAsync(string shard, int offset, int limit)
    {
        var all = videos.Get(shard).Library.ListVideos();
        return Task.FromResult(new ShardCatalogPage(all.Count, [.. all.Skip(offset).Take(limit)]));
    }

    public Task<LibraryStatus> StatusAsync(string shard)
    {
        var local = videos.Get(shard);
        return Task.FromResult(LibraryAnswers.Status(local.Library, local.Engine.Background.Status));
    }

    public Task<TranscriptAnswer?> TranscriptAsync(string shard, long videoId, TextChannel[]? channels)
    {
        var library = videos.Get(shard).Library;
        if (library.Find(videoId) is not { Status: VideoStatus.Indexed })
            return Task.FromResult<TranscriptAnswer?>(null);
        return Task.FromResult<TranscriptAnswer?>(TranscriptAnswers.Of(library, videoId, channels) with { VideoId = new VideoKey(videoId, shard) });
    }

    public Task<GroundAnswer?> GroundAsync(string shard, long videoId, string query, int top, string? grounder, GrainCancellationToken? cancellation = null)
    {
        var local = videos.Get(shard);
        if (local.Library.Find(videoId) is not { Status: VideoStatus.Indexed })
            return Task.FromResult<GroundAnswer?>(null);
        var trained = grounder is null ? null : videos.Grounders.Get(grounder);
        var grounded = local.Engine.Ground(videoId, query, trained, cancellation?.CancellationToken ?? CancellationToken.None);
        return Task.FromResult<GroundAnswer?>(GroundAnswers.Remote(grounded.Query, new VideoKey(videoId, shard), grounded.Path, grounded.Duration, grounded.ClipLength, grounded.Result, top));
    }

    public Task<ServedFileFacts> FileAsync(string shard, long videoId)
    {
        var (state, video, real) = videos.Get(shard).Guard.Locate(videoId);
        if (state != ServedFileState.Served)
            return Task.FromResult(new ServedFileFacts(state, "", 0, "", default));
        var file = new FileInfo(real!);
        return Task.FromResult(new ServedFileFacts(state, Path.GetFileName(video!.Path), file.Length, video.ContentHash, file.LastWriteTimeUtc));
    }

    public Task<byte[]> ReadAsync(string shard, long videoId, long offset, int count) => videos.Get(shard).ReadAsync(videoId, offset, count);

    public Task<ServedThumbnailBytes> ThumbnailAsync(string shard, long videoId, double? seconds, int width, GrainCancellationToken? cancellation = null) =>
        videos.Get(shard).ThumbnailAsync(videoId, seconds, width, cancellation?.CancellationToken ?? CancellationToken.None);
}
