using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vireo.Errors;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.Models;

namespace Vireo.Cluster;

/// <summary>
/// A silo's ingest: orders queue here and run one batch at a time (the pipeline uses every core), each batch the queued
/// orders of one partition, through the engine's ordinary <see cref="LibraryIngest"/> under the partition's writer gate.
/// Ingest is idempotent by path and content hash, so an order sent again after a restart finds its video committed and
/// is <see cref="IngestResult.Unchanged"/>. A partition not held here is created only if the directory names this silo
/// its holder; otherwise its orders come back <see cref="IngestResult.Moved"/>.
/// </summary>
public sealed partial class PartitionIngestWorker : IDisposable
{
    private readonly PartitionStore _store;
    private readonly EmbeddingModel _model;
    private readonly IngestOptions _options;
    private readonly Func<int, Task<string?>> _holderOf;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly List<IngestOrder> _queue = [];
    private readonly ConcurrentDictionary<Guid, ConcurrentQueue<IngestOutcome>> _done = new();
    private readonly ConcurrentDictionary<Guid, bool> _withdrawn = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="holderOf">Asks the directory which silo holds (or is given) a partition.</param>
    public PartitionIngestWorker(PartitionStore store, EmbeddingModel model, IngestOptions options, Func<int, Task<string?>> holderOf, ILogger log)
    {
        (_store, _model, _options, _holderOf, _log) = (store, model, options, holderOf, log);
        _loop = Task.Run(RunAsync);
    }

    public Guid Incarnation { get; } = Guid.NewGuid();

    /// <summary>Orders a client keeps in flight on this silo: enough to batch while one batch runs.</summary>
    public static int Capacity => 2 * Environment.ProcessorCount;

    /// <summary>Queues orders; those of a withdrawn job (a send that arrived after its withdrawal) are dropped.</summary>
    public void Submit(IReadOnlyCollection<IngestOrder> orders)
    {
        lock (_gate)
            _queue.AddRange(orders.Where(o => !_withdrawn.ContainsKey(o.Job)));
        _signal.Release();
    }

    /// <summary>
    /// Drops the queued orders of a job its client stopped, and the outcomes no one will collect; the batch running now
    /// still commits or not as a whole (nothing is half-visible). Returns how many orders were dropped.
    /// </summary>
    public int Withdraw(Guid job)
    {
        lock (_gate)
        {
            _withdrawn[job] = true;
            _done.TryRemove(job, out _);
            return _queue.RemoveAll(o => o.Job == job);
        }
    }

    /// <summary>The outcomes of a job finished since its last collection.</summary>
    public IngestOutcome[] Collect(Guid job)
    {
        var outcomes = new List<IngestOutcome>();
        if (_done.TryGetValue(job, out var queue))
        {
            while (queue.TryDequeue(out var outcome))
                outcomes.Add(outcome);
        }
        return [.. outcomes];
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(token).ConfigureAwait(false);
                while (NextBatch() is { Count: > 0 } batch)
                {
                    var outcomes = await RunBatchAsync(batch[0].Partition, batch, token).ConfigureAwait(false);
                    lock (_gate) // against a withdrawal between the check and the enqueue
                    {
                        foreach (var (order, outcome) in batch.Zip(outcomes).Where(pair => !_withdrawn.ContainsKey(pair.First.Job)))
                            _done.GetOrAdd(order.Job, _ => new ConcurrentQueue<IngestOutcome>()).Enqueue(outcome);
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>The queued orders of the partition of the oldest order.</summary>
    private List<IngestOrder> NextBatch()
    {
        lock (_gate)
        {
            if (_queue.Count == 0)
                return [];
            var partition = _queue[0].Partition;
            var batch = _queue.Where(o => o.Partition == partition).ToList();
            _queue.RemoveAll(o => o.Partition == partition);
            return batch;
        }
    }

    private async Task<IngestOutcome[]> RunBatchAsync(int partition, List<IngestOrder> batch, CancellationToken token)
    {
        try
        {
            return await _store.WriteAsync(partition, async () => await _holderOf(partition).ConfigureAwait(false) == _store.Silo,
                library => library is null ? Task.FromResult(batch.Select(o => new IngestOutcome(o.Path, IngestResult.Moved, 0, null)).ToArray()) : IngestAsync(library, batch, token),
                token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var reason = e is VireoException vireo ? vireo.Message : $"silo {_store.Silo} failed to index into partition {partition}: {e.Message}";
            if (e is not VireoException)
                LogFailure(_log, e, partition);
            return [.. batch.Select(o => new IngestOutcome(o.Path, IngestResult.Failed, 0, reason))];
        }
    }

    private async Task<IngestOutcome[]> IngestAsync(VideoLibrary library, List<IngestOrder> batch, CancellationToken token)
    {
        var reachable = batch.Where(o => File.Exists(o.Path)).Select(o => o.Path).Distinct(StringComparer.Ordinal).ToList();
        var before = reachable.ToDictionary(p => p, library.Find, StringComparer.Ordinal);
        var report = reachable.Count > 0 ? await new LibraryIngest(library, _model, _options).RunAsync(reachable, null, token).ConfigureAwait(false) : null;
        var failures = report?.Failures.GroupBy(f => f.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Error, StringComparer.Ordinal) ?? [];
        return [.. batch.Select(order => Outcome(library, order, before.GetValueOrDefault(order.Path), failures))];
    }

    private IngestOutcome Outcome(VideoLibrary library, IngestOrder order, LibraryVideo? before, Dictionary<string, string> failures)
    {
        if (!File.Exists(order.Path))
            return new IngestOutcome(order.Path, IngestResult.Failed, 0,
                $"{order.Path}: silo {_store.Silo} cannot reach it (no such file there); the videos must be on a path every silo reaches");
        if (failures.TryGetValue(order.Path, out var error))
            return new IngestOutcome(order.Path, IngestResult.Failed, 0, error);
        if (library.Find(order.Path) is not { Status: VideoStatus.Indexed } after)
            return new IngestOutcome(order.Path, IngestResult.Failed, 0, $"{order.Path}: not indexed by silo {_store.Silo}");
        var unchanged = before is { Status: VideoStatus.Indexed } && before.ContentHash == after.ContentHash && before.Id == after.Id;
        return new IngestOutcome(order.Path, unchanged ? IngestResult.Unchanged : IngestResult.Added, after.Duration, null);
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }
        _stop.Dispose();
        _signal.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "ingest into partition {Partition} failed")]
    private static partial void LogFailure(ILogger log, Exception exception, int partition);
}
