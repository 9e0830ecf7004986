using System.Collections.Concurrent;
using System.IO.Hashing;
using Vireo.Library;

namespace Vireo.Cluster;

/// <summary>A file of a partition's snapshot, as the new holder checks it after the copy.</summary>
public sealed record PartitionFile(string Name, long Length, string Hash);

/// <summary>
/// The partitions on a silo's disk: their libraries, served as search shards once bound to the model, and one writer
/// gate each. Ingest writes under the gate; a hand-off holds it from the snapshot until the partition has moved (or the
/// copy stopped: a lease ends a hold whose new owner went silent), so nothing is written to a copy being moved.
/// </summary>
public sealed class PartitionStore(string silo, SiloDataFolder data, SiloShards shards) : IDisposable
{
    /// <summary>A hold whose snapshot nobody read for this long ends: the new owner is gone and the partition stays here.</summary>
    public static readonly TimeSpan HoldLease = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<int, Slot> _slots = new();

    public string Silo => silo;

    public SiloDataFolder Data => data;

    private Slot SlotOf(int partition) => _slots.GetOrAdd(partition, _ => new Slot());

    /// <summary>Opens the partitions this silo holds on its disk and deletes the stale copies the directory names.</summary>
    public void Open(IReadOnlyCollection<int> stale)
    {
        ArgumentNullException.ThrowIfNull(stale);
        data.ClearStaging();
        foreach (var partition in data.OnDisk())
        {
            if (stale.Contains(partition))
                Directory.Delete(data.PathOf(partition), recursive: true);
            else
                Serve(SlotOf(partition).Open(data.PathOf(partition)));
        }
    }

    /// <summary>The partitions held here.</summary>
    public int[] Held => [.. _slots.Where(s => s.Value.Library is not null).Select(s => s.Key).Order()];

    /// <summary>
    /// Runs <paramref name="write"/> under the partition's writer gate, with its library: the one held here, or a new one
    /// when <paramref name="create"/> allows it (asked only when the partition is not here), else null.
    /// </summary>
    public async Task<T> WriteAsync<T>(int partition, Func<Task<bool>> create, Func<VideoLibrary?, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(write);
        var slot = SlotOf(partition);
        await slot.Writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var library = slot.Library;
            if (library is null && await create().ConfigureAwait(false))
                library = slot.Open(data.PathOf(partition));
            var result = await write(library).ConfigureAwait(false);
            if (library is not null)
                Serve(library);
            return result;
        }
        finally
        {
            slot.Writer.Release();
        }
    }

    /// <summary>Searchable once bound to a model (a new partition is, after its first video).</summary>
    private void Serve(VideoLibrary library)
    {
        if (library.Settings is not null)
            shards.Add(library);
    }

    /// <summary>
    /// Holds the partition's writer and snapshots it into its outgoing folder, for another silo to copy. The hold ends
    /// with <see cref="Release"/> (moved) or <see cref="Thaw"/> (not moved), or by itself after <see cref="HoldLease"/> without reads.
    /// </summary>
    /// <returns>The snapshot's files, or null when the partition is not here.</returns>
    public async Task<PartitionFile[]?> HoldAsync(int partition, CancellationToken cancellationToken)
    {
        var slot = SlotOf(partition);
        await slot.Writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (slot.Library is not { } library)
            {
                slot.Writer.Release();
                return null;
            }
            var outgoing = data.OutgoingOf(partition);
            if (Directory.Exists(outgoing))
                Directory.Delete(outgoing, recursive: true);
            var files = library.SnapshotTo(outgoing).Select(name => Describe(Path.Combine(outgoing, name))).ToArray();
            slot.StartHold(() => Thaw(partition));
            return files;
        }
        catch
        {
            slot.Writer.Release();
            throw;
        }
    }

    /// <summary>A chunk of a held partition's snapshot file.</summary>
    /// <exception cref="InvalidOperationException">The partition is not held for a hand-off (its lease ran out), or the file is not in its snapshot.</exception>
    public async Task<byte[]> ReadAsync(int partition, string file, long offset, int count, CancellationToken cancellationToken)
    {
        var slot = SlotOf(partition);
        if (!slot.RenewHold())
            throw new InvalidOperationException($"partition {partition} of silo {silo} is not held for a hand-off");
        if (Path.GetFileName(file) != file)
            throw new InvalidOperationException($"{file} is not a file of a partition snapshot");
        var path = Path.Combine(data.OutgoingOf(partition), file);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        stream.Position = offset;
        var buffer = new byte[Math.Max(0, Math.Min(count, stream.Length - offset))];
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    /// <summary>Ends a hold without moving: the partition stays here and is written again.</summary>
    public void Thaw(int partition)
    {
        var slot = SlotOf(partition);
        if (slot.EndHold())
        {
            DeleteQuietly(data.OutgoingOf(partition));
            slot.Writer.Release();
        }
    }

    /// <summary>The partition now belongs to another silo: stop serving it, delete this copy, and let its queued writers find it gone.</summary>
    public void Release(int partition)
    {
        var slot = SlotOf(partition);
        if (!slot.EndHold())
            return;
        if (slot.Library is { } library)
            shards.Remove(library);
        slot.Library = null;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        DeleteQuietly(data.PathOf(partition));
        DeleteQuietly(data.OutgoingOf(partition));
        slot.Writer.Release();
    }

    /// <summary>Takes in a partition copied into its incoming folder (the caller then serves it and switches the directory to this silo).</summary>
    public void Adopt(int partition)
    {
        var slot = SlotOf(partition);
        var target = data.PathOf(partition);
        DeleteQuietly(target);
        Directory.Move(data.IncomingOf(partition), target);
        slot.Open(target);
    }

    /// <summary>Undoes <see cref="Adopt"/> (and <see cref="ServeAdopted"/>) when the switch did not happen: the copy goes.</summary>
    public void Disown(int partition)
    {
        var slot = SlotOf(partition);
        if (slot.Library is { } library)
            shards.Remove(library);
        slot.Library = null;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        DeleteQuietly(data.PathOf(partition));
    }

    /// <summary>Serves an adopted partition (before the directory names this silo its holder: searches follow the directory).</summary>
    public void ServeAdopted(int partition)
    {
        if (SlotOf(partition).Library is { } library)
            Serve(library);
    }

    internal static PartitionFile Describe(string path)
    {
        using var stream = File.OpenRead(path);
        var hash = new XxHash64();
        hash.Append(stream);
        return new PartitionFile(Path.GetFileName(path), stream.Length, Convert.ToHexStringLower(hash.GetCurrentHash()));
    }

    private static void DeleteQuietly(string directory)
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    public void Dispose()
    {
        foreach (var slot in _slots.Values)
            slot.Dispose();
    }

    /// <summary>One partition's library (null when it is not here), writer gate and hand-off hold.</summary>
    private sealed class Slot : IDisposable
    {
        private readonly Lock _gate = new();
        private Timer? _lease;

        public SemaphoreSlim Writer { get; } = new(1, 1);

        public VideoLibrary? Library { get; set; }

        public VideoLibrary Open(string directory) => Library = VideoLibrary.Open(directory, create: true);

        public void StartHold(Action expire)
        {
            lock (_gate)
                _lease = new Timer(_ => expire(), null, HoldLease, Timeout.InfiniteTimeSpan);
        }

        public bool RenewHold()
        {
            lock (_gate)
                return _lease?.Change(HoldLease, Timeout.InfiniteTimeSpan) ?? false;
        }

        /// <summary>True for the one caller that ends the hold.</summary>
        public bool EndHold()
        {
            lock (_gate)
            {
                if (_lease is null)
                    return false;
                _lease.Dispose();
                _lease = null;
                return true;
            }
        }

        public void Dispose()
        {
            EndHold();
            Writer.Dispose();
        }
    }
}
