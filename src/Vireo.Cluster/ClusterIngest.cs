using System.Diagnostics;
using Orleans.Runtime;
using Vireo.Errors;
using Vireo.Ingest;
using Vireo.Library;

namespace Vireo.Cluster;

/// <summary>
/// Indexes videos into the cluster (the client side of <c>vireo cluster index</c>): finds the videos, hashes them, and
/// sends each to the holder of its partition (<see cref="PartitionPlacement"/>; a partition used for the first time is
/// given to its owner), keeping at most each silo's capacity in flight. A silo that goes down or restarts gets its
/// videos in flight again once it answers (they wait for it: its partitions are only on its disk), for up to
/// <see cref="ClusterIngestOptions.SiloWait"/>; silos index idempotently, so nothing is indexed twice.
/// </summary>
public sealed class ClusterIngest(ClusterSearch cluster, ClusterIngestOptions? options = null)
{
    private readonly ClusterIngestOptions _options = options ?? new ClusterIngestOptions();

    public ClusterIngestOptions Options => _options;

    private IGrainFactory Grains => cluster.Client;

    private IPartitionDirectoryGrain Directory => Grains.GetGrain<IPartitionDirectoryGrain>(0);

    /// <exception cref="FileNotFoundException">An input does not exist.</exception>
    /// <exception cref="InputException">The inputs hold no video file.</exception>
    /// <exception cref="ConflictException">No silo with a data folder has joined the cluster.</exception>
    public async Task<ClusterIngestReport> RunAsync(IReadOnlyList<string> inputs, IProgress<ClusterIngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var watch = Stopwatch.StartNew();
        var found = VideoFiles.Find(inputs, _options.Extensions);
        if (found.Files.Count == 0 && found.Unreadable.Count == 0)
            throw new InputException(string.Join(", ", inputs), $"no video file here (looked for {string.Join(", ", _options.Extensions.Order(StringComparer.Ordinal))})");
        var view = await Call(Directory.ViewAsync(), cancellationToken).ConfigureAwait(false);
        if (view.Partitions == 0)
            throw new ConflictException("no silo with a data folder has joined the cluster: start one with 'vireo cluster silo --name NAME --data DIR'");
        var job = new IngestJob(Guid.NewGuid(), view, watch);
        job.Failures.AddRange(found.Unreadable.Select(u => new IngestFailure(u.Path, u.Error)));
        foreach (var path in found.Files)
            job.Add(path);
        try
        {
            while (job.Done < job.Total)
            {
                await DispatchAsync(job, cancellationToken).ConfigureAwait(false);
                await CollectAsync(job, cancellationToken).ConfigureAwait(false);
                job.GiveUpOnSilosDownLongerThan(_options.SiloWait);
                progress?.Report(job.Progress());
                if (job.Done < job.Total)
                    await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await WithdrawAsync(job).ConfigureAwait(false);
            throw;
        }
        return job.Report();
    }

    /// <summary>
    /// A stopped job's videos still queued on silos are dropped there (those being indexed finish or not as a whole), on
    /// every silo that was sent orders: one thought down may only have been slow, and a send cut short may have arrived.
    /// </summary>
    private Task WithdrawAsync(IngestJob job) => Task.WhenAll(job.Contacted.Select(async silo =>
    {
        try
        {
            await Call(Grains.GetGrain<IPartitionHostGrain>(silo).WithdrawAsync(job.Id), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            // A silo that does not answer restarted (its queue is gone) or is cut off and indexes what it holds: each
            // video once and whole, as any order.
        }
    }));

    /// <summary>Has <paramref name="silo"/> hand its partitions to the others (<c>vireo cluster leave</c>); returns how many moved.</summary>
    public static Task<int> LeaveAsync(ClusterSearch cluster, string silo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.Client.GetGrain<IPartitionHostGrain>(silo).LeaveAsync().WaitAsync(cancellationToken);
    }

    /// <summary>Sends waiting videos to their partitions' holders, up to each silo's capacity.</summary>
    private async Task DispatchAsync(IngestJob job, CancellationToken cancellationToken)
    {
        foreach (var group in job.Waiting.GroupBy(v => v.Partition).ToList())
        {
            var holder = await HolderAsync(job, group.Key, cancellationToken).ConfigureAwait(false);
            if (holder is null || await SiloAsync(job, holder, cancellationToken).ConfigureAwait(false) is not { } silo)
                continue;
            var orders = group.Take(Math.Max(0, silo.Capacity - silo.InFlight.Count)).ToList();
            if (orders.Count == 0)
                continue;
            job.Contacted.Add(holder);
            try
            {
                var incarnation = await Call(Grains.GetGrain<IPartitionHostGrain>(holder).SubmitAsync(
                    [.. orders.Select(v => new IngestOrder(job.Id, v.Partition, v.Path, v.ContentHash))]), cancellationToken).ConfigureAwait(false);
                job.Sent(silo, incarnation, orders);
            }
            catch (Exception e) when (IsUnreachable(e))
            {
                job.Down(silo);
            }
        }
    }

    private async Task<string?> HolderAsync(IngestJob job, int partition, CancellationToken cancellationToken)
    {
        if (job.Holders.TryGetValue(partition, out var holder))
            return holder;
        try
        {
            holder = await Call(Directory.AssignAsync(partition), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            return null;
        }
        if (holder is not null)
            job.Holders[partition] = holder;
        return holder;
    }

    /// <summary>The silo's state, asking it for its capacity when it is new or was down; null while it does not answer.</summary>
    private async Task<SiloProgress?> SiloAsync(IngestJob job, string name, CancellationToken cancellationToken)
    {
        var silo = job.Silo(name);
        if (silo.Capacity > 0 && silo.DownSince is null)
            return silo;
        if (silo.DownSince is not null && silo.LastTry.Elapsed < TimeSpan.FromSeconds(1))
            return null;
        silo.LastTry.Restart();
        try
        {
            var capacity = await Call(Grains.GetGrain<IPartitionHostGrain>(name).CapacityAsync(), cancellationToken).ConfigureAwait(false);
            job.Up(silo, capacity);
            return silo;
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            job.Down(silo);
            return null;
        }
    }

    /// <summary>Asks each silo with videos in flight for those it finished.</summary>
    private async Task CollectAsync(IngestJob job, CancellationToken cancellationToken)
    {
        foreach (var silo in job.Silos.Where(s => s.InFlight.Count > 0 && s.DownSince is null).ToList())
        {
            try
            {
                var collected = await Call(Grains.GetGrain<IPartitionHostGrain>(silo.Name).CollectAsync(job.Id), cancellationToken).ConfigureAwait(false);
                job.Collected(silo, collected);
            }
            catch (Exception e) when (IsUnreachable(e))
            {
                job.Down(silo);
            }
        }
    }

    private Task<T> Call<T>(Task<T> call, CancellationToken cancellationToken) => call.WaitAsync(_options.CallDeadline, cancellationToken);

    /// <summary>The silo is gone, unreachable or too slow (Orleans failures and timeouts): its videos wait for it.</summary>
    private static bool IsUnreachable(Exception e) => e is OrleansException or TimeoutException;
}
