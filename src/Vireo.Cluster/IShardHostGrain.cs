using Vireo.Retrieval;

namespace Vireo.Cluster;

/// <summary>
/// The shards of one silo, served by a grain that runs on that silo (its key is the silo's name): the phases of a
/// search (<see cref="ISearchShard"/>) for one of them, named by the shard's name.
/// </summary>
public interface IShardHostGrain : IGrainWithStringKey
{
    /// <summary>The names of the silo's shards.</summary>
    Task<string[]> ShardsAsync();

    Task<ShardCandidates> CandidatesAsync(string shard, ShardQuery query, GrainCancellationToken? cancellation = null);

    Task<IReadOnlyList<ScoredVideo>> ScoreAsync(string shard, Guid search, long[] videoIds, GrainCancellationToken? cancellation = null);

    Task<IReadOnlyList<ShardHit>> GroundAsync(string shard, Guid search, RankedVideo[] ranked, bool fused, GrainCancellationToken? cancellation = null);

    Task EndAsync(string shard, Guid search);
}
