using Orleans.Runtime;
using Vireo.Retrieval;

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

    private async Task<T> CallAsync<T>(Func<GrainCancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var source = new GrainCancellationTokenSource();
        await using var link = cancellationToken.Register(() => _ = source.Cancel());
        try
        {
            return await call(source.Token).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException) // silo gone, unreachable, rejected the call, or placement found no silo
        {
            throw new ShardUnavailableException(name, e.Message, e);
        }
    }
}
