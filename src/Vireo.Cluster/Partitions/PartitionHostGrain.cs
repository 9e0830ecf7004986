using Orleans.Concurrency;

namespace Vireo.Cluster;

/// <summary>
/// The grain of <see cref="IPartitionHostGrain"/>, on the silo its key names. Reentrant: its calls only forward to the
/// silo's thread-safe <see cref="PartitionStore"/> and <see cref="PartitionIngestWorker"/>, and a hand-off calls back
/// into the silo that asked for it.
/// </summary>
[SiloNamePlacement]
[Reentrant]
internal sealed class PartitionHostGrain(PartitionStore store, PartitionIngestWorker worker) : Grain, IPartitionHostGrain
{
    private IPartitionDirectoryGrain Directory => GrainFactory.GetGrain<IPartitionDirectoryGrain>(0);

    public Task<SiloCapacity> CapacityAsync() => Task.FromResult(new SiloCapacity(worker.Incarnation, PartitionIngestWorker.Capacity));

    public Task<Guid> SubmitAsync(IngestOrder[] orders)
    {
        worker.Submit(orders);
        return Task.FromResult(worker.Incarnation);
    }

    public Task<CollectedOutcomes> CollectAsync(Guid job) => Task.FromResult(new CollectedOutcomes(worker.Incarnation, worker.Collect(job)));

    public Task<int> WithdrawAsync(Guid job) => Task.FromResult(worker.Withdraw(job));

    public Task<int[]> HeldAsync() => Task.FromResult(store.Held);

    public Task<PartitionFile[]?> HoldAsync(int partition) => store.HoldAsync(partition, CancellationToken.None);

    public Task<byte[]> ReadAsync(int partition, string file, long offset, int count) => store.ReadAsync(partition, file, offset, count, CancellationToken.None);

    public Task ThawAsync(int partition)
    {
        store.Thaw(partition);
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(int partition)
    {
        store.Release(partition);
        return Task.CompletedTask;
    }

    public Task<bool> PullAsync(int partition, string from) =>
        new PartitionHandOff(store, Directory, GrainFactory.GetGrain<IPartitionHostGrain>(from), from).RunAsync(partition, CancellationToken.None);

    public Task<int> TakeOverAsync() => PartitionHandOff.TakeOverAsync(GrainFactory, store.Silo);

    public Task<int> LeaveAsync() => PartitionHandOff.LeaveAsync(GrainFactory, store.Silo);
}
