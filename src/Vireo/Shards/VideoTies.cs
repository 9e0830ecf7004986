namespace Vireo.Shards;

/// <summary>
/// A coordinator's tie rule for one request: the <see cref="VideoTieKey"/>s its shards gave for their videos, and the
/// order of two videos (each named by its shard's index and its id there) whose scores are equal.
/// </summary>
internal sealed class VideoTies
{
    private readonly Dictionary<(int Shard, long VideoId), VideoTieKey> _keys = [];

    /// <summary>Records the tie keys a shard gave (none when it did not answer).</summary>
    public void Add(int shard, IReadOnlyDictionary<long, VideoTieKey>? keys)
    {
        if (keys is null)
            return;
        foreach (var (videoId, key) in keys)
            _keys[(shard, videoId)] = key;
    }

    /// <summary>
    /// By tie key; a video without one (removed from its library meanwhile) after those with one. Equal keys happen only
    /// when one file was indexed into two libraries searched together (no single library can hold it twice): then by
    /// shard and id, so the order is still total.
    /// </summary>
    public int Compare(int shardA, long videoA, int shardB, long videoB)
    {
        var hasA = _keys.TryGetValue((shardA, videoA), out var a);
        var hasB = _keys.TryGetValue((shardB, videoB), out var b);
        var byKey = hasA && hasB ? VideoTieKey.Compare(a!, b!) : hasB.CompareTo(hasA);
        if (byKey != 0)
            return byKey;
        return shardA != shardB ? shardA.CompareTo(shardB) : videoA.CompareTo(videoB);
    }
}
