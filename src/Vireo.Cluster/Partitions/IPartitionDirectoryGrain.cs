namespace Vireo.Cluster;

/// <summary>
/// The cluster's partition directory, one grain (key 0) whose state is in grain storage (Redis with <c>--redis</c>,
/// memory with localhost clustering): the partition count, which silo holds each partition, and the silos that hold
/// data. A holder stays the holder while it is down (its partitions are only on its disk), until it hands them off.
/// </summary>
public interface IPartitionDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// A silo with a data folder joins: the count must be the cluster's (the first silo sets it); its partitions on disk
    /// that no one holds become its own. Returns the partitions on its disk that another silo holds (stale copies of a
    /// hand-off that ended before the old holder deleted its copy), or the reason it may not join.
    /// </summary>
    Task<JoinAnswer> JoinAsync(string silo, int partitions, int[] onDisk);

    /// <summary>The partition count (0 before any silo joined) and the holders.</summary>
    Task<DirectoryView> ViewAsync();

    /// <summary>The holder of a partition; one never used is given to its rendezvous owner among the active data silos (null: none is active).</summary>
    Task<string?> AssignAsync(int partition);

    /// <summary>
    /// The moves that put every partition held by an active silo on its rendezvous owner among the active data silos that
    /// are not leaving. <paramref name="caller"/>, the silo asking, counts as active: a silo that has just joined is
    /// active in the membership table before the directory's silo sees it so.
    /// </summary>
    Task<PartitionMove[]> PlanAsync(string caller);

    /// <summary>Makes <paramref name="newHolder"/> the holder if <paramref name="from"/> still is (one durable write); false otherwise.</summary>
    Task<bool> SwitchAsync(int partition, string from, string newHolder);

    /// <summary>Marks a silo as leaving: it is given no partition from now on, and <see cref="PlanAsync(string)"/> moves its own away.</summary>
    Task LeaveAsync(string silo);
}

/// <param name="Partitions">The cluster's partition count.</param>
/// <param name="Stale">Partitions on the silo's disk that another silo holds.</param>
/// <param name="Refusal">Why the silo may not join, or null.</param>
public sealed record JoinAnswer(int Partitions, int[] Stale, string? Refusal);

/// <param name="Partitions">The partition count, 0 before any silo joined.</param>
/// <param name="Holders">Partition → holding silo, for the partitions in use.</param>
public sealed record DirectoryView(int Partitions, IReadOnlyDictionary<int, string> Holders)
{
    /// <summary>The silos that joined with a data folder (only their shards named like a partition are partitions).</summary>
    public string[] DataSilos { get; init; } = [];
}

/// <summary>A partition to move from its holder to the silo it belongs on.</summary>
public sealed record PartitionMove(int Partition, string From, string To);
