using Vireo.Relocalization;
using Vireo.Shards;
using Vireo.Temporal;

namespace Vireo.Cluster;

/// <summary>A shard on a silo of the cluster as find-clip sees it, reached through its silo's <see cref="IClipShardGrain"/>.</summary>
internal sealed class GrainClipShard(IClipShardGrain host, string name) : IClipShard
{
    public string Name => name;

    public Task<ClipCandidates> CandidatesAsync(float[][] probes, int count, CancellationToken cancellationToken) =>
        GrainCalls.CallAsync(name, token => host.CandidatesAsync(name, probes, count, token), cancellationToken);

    public Task<IReadOnlyList<ClipMatch>> AlignAsync(ClipVectors query, TemporalWindow querySpan, IReadOnlyList<long> videoIds, RelocalizationOptions options,
        CancellationToken cancellationToken) =>
        GrainCalls.CallAsync(name, token => host.AlignAsync(name, query, querySpan, [.. videoIds], options, token), cancellationToken);

    public Task<IReadOnlyList<ClipMatch?>> RefineAsync(ClipVectors query, TemporalWindow querySpan, IReadOnlyList<ClipMatch> matches, RelocalizationOptions options,
        CancellationToken cancellationToken) =>
        GrainCalls.CallAsync(name, token => host.RefineAsync(name, query, querySpan, [.. matches], options, token), cancellationToken);
}

/// <summary>A shard whose silo is gone or did not answer: every phase fails as unavailable, so the answer names it.</summary>
internal sealed class GoneClipShard(string name) : IClipShard
{
    public string Name => name;

    public Task<ClipCandidates> CandidatesAsync(float[][] probes, int count, CancellationToken cancellationToken) => throw Unavailable();

    public Task<IReadOnlyList<ClipMatch>> AlignAsync(ClipVectors query, TemporalWindow querySpan, IReadOnlyList<long> videoIds, RelocalizationOptions options,
        CancellationToken cancellationToken) => throw Unavailable();

    public Task<IReadOnlyList<ClipMatch?>> RefineAsync(ClipVectors query, TemporalWindow querySpan, IReadOnlyList<ClipMatch> matches, RelocalizationOptions options,
        CancellationToken cancellationToken) => throw Unavailable();

    private ShardUnavailableException Unavailable() => new(name, "its silo is gone or did not answer");
}
