using Vireo.Library;
using Vireo.Relocalization;
using Vireo.Temporal;

namespace Vireo.Cluster;

/// <summary>The grain of <see cref="IClipShardGrain"/>: runs each phase on the silo's local shard (<see cref="SiloVideos"/>).</summary>
[SiloNamePlacement]
internal sealed class ClipShardGrain(SiloVideos videos) : Grain, IClipShardGrain
{
    public Task<ClipCandidates> CandidatesAsync(string shard, float[][] probes, int count, GrainCancellationToken? cancellation = null) =>
        videos.Get(shard).Clips.CandidatesAsync(probes, count, Token(cancellation));

    public Task<IReadOnlyList<ClipMatch>> AlignAsync(string shard, ClipVectors query, TemporalWindow querySpan, long[] videoIds, RelocalizationOptions options,
        GrainCancellationToken? cancellation = null) =>
        videos.Get(shard).Clips.AlignAsync(query, querySpan, videoIds, options, Token(cancellation));

    public Task<IReadOnlyList<ClipMatch?>> RefineAsync(string shard, ClipVectors query, TemporalWindow querySpan, ClipMatch[] matches, RelocalizationOptions options,
        GrainCancellationToken? cancellation = null) =>
        videos.Get(shard).Clips.RefineAsync(query, querySpan, matches, options, Token(cancellation));

    public Task<EmbeddedClip?> EmbedAsync(string shard, long videoId, TemporalWindow span, double fineStep, GrainCancellationToken? cancellation = null) =>
        videos.Get(shard).EmbedClipAsync(videoId, span, fineStep, Token(cancellation));

    public Task<LibrarySettings?> SettingsAsync(string shard) => Task.FromResult(videos.Get(shard).Library.Settings);

    private static CancellationToken Token(GrainCancellationToken? cancellation) => cancellation?.CancellationToken ?? CancellationToken.None;
}
