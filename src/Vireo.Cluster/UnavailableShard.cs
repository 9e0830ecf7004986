using Vireo.Retrieval;
using Vireo.Shards;

namespace Vireo.Cluster;

/// <summary>
/// A shard the cluster knows of but cannot reach (its silo is gone or does not answer): every phase fails as
/// unavailable, so a search names it in its answer instead of leaving a silent gap.
/// </summary>
internal sealed class UnavailableShard(string name, string reason) : ISearchShard
{
    public string Name => name;

    /// <summary>The shards of a silo that is gone or does not answer, unknown by name: reported as the silo's.</summary>
    public static UnavailableShard OfSilo(string silo) => new($"{silo}/* (silo down or not answering)", "its silo is gone or did not answer");

    /// <summary>A partition of the directory whose holder is gone or does not answer (it may have videos; only its holder's disk has them).</summary>
    public static UnavailableShard OfPartition(string name, string holder) => new(name, $"its holder, silo {holder}, is gone or did not answer");

    public Task<ShardCandidates> CandidatesAsync(ShardQuery query, CancellationToken cancellationToken) => throw Unavailable();

    public Task<IReadOnlyList<ScoredVideo>> ScoreAsync(Guid search, IReadOnlyList<long> videoIds, CancellationToken cancellationToken) => throw Unavailable();

    public Task<IReadOnlyList<ShardHit>> GroundAsync(Guid search, IReadOnlyList<RankedVideo> ranked, bool fused, CancellationToken cancellationToken) => throw Unavailable();

    public Task EndAsync(Guid search) => Task.CompletedTask;

    private ShardUnavailableException Unavailable() => new(name, reason);
}
