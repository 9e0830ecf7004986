using Vireo.Library;
using Vireo.Relocalization;
using Vireo.Temporal;

namespace Vireo.Cluster;

/// <summary>
/// Find-clip on the shards of one silo, by a grain that runs on that silo (its key is the silo's name): the phases of
/// <see cref="IClipShard"/> for one of them, and the embedding of a query clip cut from one of its videos (so that only
/// the clip's vectors cross the wire, never the video).
/// </summary>
public interface IClipShardGrain : IGrainWithStringKey
{
    Task<ClipCandidates> CandidatesAsync(string shard, float[][] probes, int count, GrainCancellationToken? cancellation = null);

    Task<IReadOnlyList<ClipMatch>> AlignAsync(string shard, ClipVectors query, TemporalWindow querySpan, long[] videoIds, RelocalizationOptions options, GrainCancellationToken? cancellation = null);

    Task<IReadOnlyList<ClipMatch?>> RefineAsync(string shard, ClipVectors query, TemporalWindow querySpan, ClipMatch[] matches, RelocalizationOptions options,
        GrainCancellationToken? cancellation = null);

    /// <summary>
    /// <paramref name="span"/> of video <paramref name="videoId"/> embedded one frame every <paramref name="fineStep"/>
    /// seconds with the shard's model; null when the shard has no such indexed video.
    /// </summary>
    Task<EmbeddedClip?> EmbedAsync(string shard, long videoId, TemporalWindow span, double fineStep, GrainCancellationToken? cancellation = null);

    /// <summary>The shard's model and clip settings; null while it has indexed nothing (it is bound to no model yet).</summary>
    Task<LibrarySettings?> SettingsAsync(string shard);
}

/// <summary>A query clip embedded by the silo that holds its video: the video's path there, and the clip's fine vectors.</summary>
public sealed record EmbeddedClip(string Path, ClipVectors Fine);
