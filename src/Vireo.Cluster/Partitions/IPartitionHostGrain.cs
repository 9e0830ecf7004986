namespace Vireo.Cluster;

/// <summary>
/// The partitions of one silo (key: the silo's name; the grain runs on that silo): ingest orders in and outcomes out,
/// and both ends of a hand-off — the holder holds writes and lends its snapshot in chunks, the new owner pulls it.
/// </summary>
public interface IPartitionHostGrain : IGrainWithStringKey
{
    Task<SiloCapacity> CapacityAsync();

    /// <summary>Queues orders; returns the silo's incarnation.</summary>
    Task<Guid> SubmitAsync(IngestOrder[] orders);

    Task<CollectedOutcomes> CollectAsync(Guid job);

    /// <summary>Drops the queued orders of a stopped job; returns how many.</summary>
    Task<int> WithdrawAsync(Guid job);

    /// <summary>The partitions held on this silo's disk.</summary>
    Task<int[]> HeldAsync();

    /// <summary>Holder side: holds the partition's writes and snapshots it (null: not here).</summary>
    [ResponseTimeout("00:30:00")]
    Task<PartitionFile[]?> HoldAsync(int partition);

    /// <summary>Holder side: a chunk of a held partition's snapshot file.</summary>
    Task<byte[]> ReadAsync(int partition, string file, long offset, int count);

    /// <summary>Holder side: the hand-off did not happen; writes go on here.</summary>
    Task ThawAsync(int partition);

    /// <summary>Holder side: the partition has moved; this copy is deleted.</summary>
    Task ReleaseAsync(int partition);

    /// <summary>New owner side: copies the partition from <paramref name="from"/>, switches the directory, serves it. False when it did not move.</summary>
    [ResponseTimeout("12:00:00")]
    Task<bool> PullAsync(int partition, string from);

    /// <summary>Pulls every partition the directory's plan moves to this silo; returns how many moved.</summary>
    [ResponseTimeout("12:00:00")]
    Task<int> TakeOverAsync();

    /// <summary>Marks this silo as leaving and hands each of its partitions to its owner among the others; returns how many moved.</summary>
    [ResponseTimeout("12:00:00")]
    Task<int> LeaveAsync();
}
