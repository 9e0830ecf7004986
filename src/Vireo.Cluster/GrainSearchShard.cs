using Vireo.Retrieval;
using Vireo.Shards;

namespace Vireo.Cluster;

/// <summary>
/// A shard on a silo of the cluster, reached through its silo's <see cref="IShardHostGrain"/>. A call that fails because
/// the silo is gone, unreachable or too slow is a <see cref="ShardUnavailableException"/> (the search goes on without
/// it); an error the shard itself reports (a damaged library, a wrong query) is passed on as it is.
/// </summary>
internal sealed class GrainSearchShard(IShardHostGrain host, string name) : ISearchShard
{
    public string Name => name;

    public Task<ShardCandidates> CandidatesAsync(ShardQuery query, CancellationToken cancellationToken) =>
        CallAsync(token => host.CandidatesAsync(name, query, token), cancellationToken);

    public Task<IReadOnlyList<ScoredVideo>> ScoreAsync(Guid search, IReadOnlyList<long> videoIds, CancellationToken cancellationToken) =>
        CallAsync(token => host.ScoreAsync(name, search, [.. videoIds], token), cancellationToken);

    public Task<IReadOnlyList<ShardHit>> GroundAsync(Guid search, IReadOnlyList<RankedVideo> ranked, bool fused, CancellationToken cancellationToken) =>
        CallAsync(token => host.GroundAsync(name, search, [.. ranked], fused, token), cancellationToken);

    public Task EndAsync(Guid search) => CallAsync(async _ =>
    {
        await host.EndAsync(name, search).ConfigureAwait(false);
        return true;
    }, CancellationToken.None);

    /// <summary>The silo that holds the shard (its host grain's key).</summary>
    internal string Silo => host.GetPrimaryKeyString();

    private Task<T> CallAsync<T>(Func<GrainCancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        GrainCalls.CallAsync(name, call, cancellationToken);
}
