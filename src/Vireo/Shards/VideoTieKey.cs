namespace Vireo.Shards;

/// <summary>
/// What orders two videos whose scores are exactly equal: the video's path (ordinal), then its content hash. Both are
/// the video's own, so the order is the same whether one library holds every video or they are split over shards in
/// any way; a library's ids are not, since each shard numbers its own videos.
/// </summary>
public sealed record VideoTieKey(string Path, string ContentHash)
{
    public static int Compare(VideoTieKey a, VideoTieKey b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var byPath = string.CompareOrdinal(a.Path, b.Path);
        return byPath != 0 ? byPath : string.CompareOrdinal(a.ContentHash, b.ContentHash);
    }
}
