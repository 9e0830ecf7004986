using Vireo.Retrieval;

namespace Vireo.Cluster;

/// <summary>The grain of <see cref="IShardHostGrain"/>: forwards each phase to the silo's local shard (<see cref="SiloShards"/>).</summary>
[SiloNamePlacement]
internal sealed class ShardHostGrain(SiloShards shards) : Grain, IShardHostGrain
{
    public Task<string[]> ShardsAsync() => Task.FromResult(shards.Names);

    public Task<ShardCandidates> CandidatesAsync(string shard, ShardQuery query, GrainCancellationToken? cancellation = null) =>
        shards.Get(shard).CandidatesAsync(query, cancellation?.CancellationToken ?? CancellationToken.None);

    public Task<IReadOnlyList<ScoredVideo>> ScoreAsync(string shard, Guid search, long[] videoIds, GrainCancellationToken? cancellation = null) =>
        shards.Get(shard).ScoreAsync(search, videoIds, cancellation?.CancellationToken ?? CancellationToken.None);

    public Task<IReadOnlyList<ShardHit>> GroundAsync(string shard, Guid search, RankedVideo[] ranked, bool fused, GrainCancellationToken? cancellation = null) =>
        shards.Get(shard).GroundAsync(search, ranked, fused, cancellation?.CancellationToken ?? CancellationToken.None);

    public Task EndAsync(string shard, Guid search) => shards.Get(shard).EndAsync(search);
}
