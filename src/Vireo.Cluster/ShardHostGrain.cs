using Vireo.Models;
using Vireo.Retrieval;
using Vireo.Shards;

namespace Vireo.Cluster;

/// <summary>The grain of <see cref="IShardHostGrain"/>: forwards each phase to the silo's local shard (<see cref="SiloShards"/>).</summary>
[SiloNamePlacement]
internal sealed class ShardHostGrain(SiloShards shards) : Grain, IShardHostGrain
{
    public Task<string[]> ShardsAsync() => Task.FromResult(shards.Names);

    /// <exception cref="ShardFailedException">The query names a trained grounder this silo has not imported.</exception>
    public async Task<ShardCandidates> CandidatesAsync(string shard, ShardQuery query, GrainCancellationToken? cancellation = null)
    {
        try
        {
            return await shards.Get(shard).CandidatesAsync(query, cancellation?.CancellationToken ?? CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
        catch (ModelNotFoundException e)
        {
            throw new ShardFailedException(shard, e.Message);
        }
    }

    public Task<IReadOnlyList<ScoredVideo>> ScoreAsync(string shard, Guid search, long[] videoIds, GrainCancellationToken? cancellation = null) =>
        shards.Get(shard).ScoreAsync(search, videoIds, cancellation?.CancellationToken ?? CancellationToken.None);

    public Task<IReadOnlyList<ShardHit>> GroundAsync(string shard, Guid search, RankedVideo[] ranked, bool fused, GrainCancellationToken? cancellation = null) =>
        shards.Get(shard).GroundAsync(search, ranked, fused, cancellation?.CancellationToken ?? CancellationToken.None);

    public Task EndAsync(string shard, Guid search) => shards.Get(shard).EndAsync(search);
}
