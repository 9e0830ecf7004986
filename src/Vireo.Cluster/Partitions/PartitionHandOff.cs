namespace Vireo.Cluster;

/// <summary>
/// The new owner's side of a hand-off: the holder holds the partition's writes and snapshots it; the snapshot is copied
/// here in chunks through grain calls and checked (length and XxHash64 of each file); this silo serves it; the directory
/// is switched to this silo in one durable write; the old holder deletes its copy. Until the switch the
/// holder's copy is the partition, so a failure at any step leaves it where it was (the copy here is deleted).
/// </summary>
internal sealed class PartitionHandOff(PartitionStore store, IPartitionDirectoryGrain directory, IPartitionHostGrain holder, string holderName)
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Pulls every partition the directory's plan moves to <paramref name="silo"/>; returns how many moved.</summary>
    public static async Task<int> TakeOverAsync(IGrainFactory grains, string silo)
    {
        var moved = 0;
        foreach (var move in (await grains.GetGrain<IPartitionDirectoryGrain>(0).PlanAsync(silo).ConfigureAwait(false)).Where(m => m.To == silo))
            moved += await grains.GetGrain<IPartitionHostGrain>(silo).PullAsync(move.Partition, move.From).ConfigureAwait(false) ? 1 : 0;
        return moved;
    }

    /// <summary>Marks <paramref name="silo"/> as leaving and has each of its partitions pulled by its owner among the others.</summary>
    public static async Task<int> LeaveAsync(IGrainFactory grains, string silo)
    {
        var directory = grains.GetGrain<IPartitionDirectoryGrain>(0);
        await directory.LeaveAsync(silo).ConfigureAwait(false);
        var moved = 0;
        foreach (var move in (await directory.PlanAsync(silo).ConfigureAwait(false)).Where(m => m.From == silo))
            moved += await grains.GetGrain<IPartitionHostGrain>(move.To).PullAsync(move.Partition, silo).ConfigureAwait(false) ? 1 : 0;
        return moved;
    }

    public async Task<bool> RunAsync(int partition, CancellationToken cancellationToken)
    {
        if (holderName == store.Silo)
            return false;
        var files = await holder.HoldAsync(partition).ConfigureAwait(false);
        if (files is null)
            return false;
        var adopted = false;
        try
        {
            await CopyAsync(partition, files, cancellationToken).ConfigureAwait(false);
            store.Adopt(partition);
            adopted = true;
            // Served before the switch, so the holder the directory names always serves the partition: until the switch
            // searches take the old holder's copy (the same, its writes held), from the switch on this one.
            store.ServeAdopted(partition);
            if (!await directory.SwitchAsync(partition, holderName, store.Silo).ConfigureAwait(false))
            {
                store.Disown(partition);
                await holder.ThawAsync(partition).ConfigureAwait(false);
                return false;
            }
        }
        catch
        {
            if (adopted)
                store.Disown(partition);
            await ThawQuietlyAsync(partition).ConfigureAwait(false);
            throw;
        }
        await holder.ReleaseAsync(partition).ConfigureAwait(false); // if the old holder is gone now, its next start deletes its stale copy
        return true;
    }

    private async Task CopyAsync(int partition, PartitionFile[] files, CancellationToken cancellationToken)
    {
        var incoming = store.Data.IncomingOf(partition);
        if (Directory.Exists(incoming))
            Directory.Delete(incoming, recursive: true);
        Directory.CreateDirectory(incoming);
        foreach (var file in files)
        {
            var path = Path.Combine(incoming, Path.GetFileName(file.Name));
            await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                for (long offset = 0; offset < file.Length; offset += ChunkBytes)
                {
                    var chunk = await holder.ReadAsync(partition, file.Name, offset, ChunkBytes).ConfigureAwait(false);
                    if (chunk.Length == 0)
                        throw new IOException($"{file.Name} of partition {partition} ended at {offset} of {file.Length} bytes on silo {holderName}");
                    await output.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                }
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                output.Flush(flushToDisk: true);
            }
            var copied = PartitionStore.Describe(path);
            if (copied != file)
                throw new IOException($"{file.Name} of partition {partition} arrived damaged from silo {holderName} ({copied.Length} bytes, hash {copied.Hash}; expected {file.Length}, {file.Hash})");
        }
    }

    private async Task ThawQuietlyAsync(int partition)
    {
        try
        {
            await holder.ThawAsync(partition).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Orleans.Runtime.OrleansException or TimeoutException)
        {
            // The holder is gone; its hold ends with it.
        }
    }
}
