using Vireo.Answers;
using Vireo.Engine;
using Vireo.Errors;
using Vireo.Ingest;
using Vireo.Library;

namespace Vireo.Cluster;

/// <summary>
/// A cluster's distributed ingest as the HTTP API runs it: one <see cref="ClusterIngest"/> job at a time in the
/// background, over absolute paths inside <paramref name="roots"/> (real paths, links resolved, as
/// <see cref="RootsGuard"/> checks a library's files); a video found there whose real path leads out of the roots is
/// not indexed and is listed as failed. Stopping ends the job: silos drop its orders still queued (the batch each is
/// indexing finishes or not as a whole), and what was committed stays.
/// </summary>
public sealed class ClusterBackgroundIngest(ClusterIngest ingest, IReadOnlyList<string> roots) : IShardedIndexing, IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _cancel;
    private Task _run = Task.CompletedTask;
    private ClusterJobState _state = ClusterJobState.Idle;

    public IReadOnlyList<string> Roots => roots;

    public Exception? Failure { get; private set; }

    public IndexingView Status
    {
        get
        {
            lock (_gate)
                return _state.View();
        }
    }

    public IndexingView Start(IReadOnlyList<string>? paths)
    {
        if (roots.Count == 0)
            throw new ConflictException("this server may index no folder: start it with --index-root DIR");
        var inputs = paths is null || paths.Count == 0 ? roots : paths;
        var resolved = inputs.Select(Checked).ToList();
        lock (_gate)
        {
            if (_state.State is IngestState.Running or IngestState.Stopping)
                throw new ConflictException("indexing is already running");
            _cancel?.Dispose();
            _cancel = new CancellationTokenSource();
            _state = ClusterJobState.Started(DateTimeOffset.UtcNow);
            var token = _cancel.Token;
            _run = Task.Run(() => RunAsync(resolved, token), CancellationToken.None);
            return _state.View();
        }
    }

    public IndexingView RequestStop()
    {
        lock (_gate)
        {
            if (_state.State == IngestState.Running)
            {
                _state = _state with { State = IngestState.Stopping };
                _cancel?.Cancel();
            }
            return _state.View();
        }
    }

    public async Task StopAndWaitAsync(CancellationToken cancellationToken)
    {
        RequestStop();
        try
        {
            await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The real path of a requested path inside a root.</summary>
    private string Checked(string path, int index)
    {
        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path))
            throw new UsageException($"paths[{index}] must be an absolute path on the silos' shared file system");
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new InputException(path, $"paths[{index}] does not exist", ErrorKind.NotFound);
        return RootsGuard.Inside(path, roots) ?? throw new UsageException($"paths[{index}] is not inside a folder this server may index");
    }

    private async Task RunAsync(IReadOnlyList<string> inputs, CancellationToken cancellationToken)
    {
        try
        {
            var found = VideoFiles.Find(inputs, ingest.Options.Extensions);
            var inside = found.Files.Where(f => RootsGuard.Inside(f, roots) is not null).ToList();
            var skipped = found.Unreadable.Select(u => new IngestFailure(u.Path, u.Error))
                .Concat(found.Files.Except(inside).Select(f => new IngestFailure(f, $"{f}: leads out of the folders this server may index; not indexed")))
                .ToList();
            Update(s => s with { Skipped = skipped });
            if (inside.Count == 0)
                throw new InputException(null, "no video file inside the requested paths");
            var report = await ingest.RunAsync(inside, new ProgressSink(this), cancellationToken).ConfigureAwait(false);
            Update(s => s with { State = IngestState.Completed, Report = report, FinishedAt = DateTimeOffset.UtcNow });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Update(s => s with { State = IngestState.Cancelled, FinishedAt = DateTimeOffset.UtcNow });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Failure = e;
            Update(s => s with { State = IngestState.Failed, Error = (e as VireoException)?.Reason ?? "the indexing job failed; the server's log says why", FinishedAt = DateTimeOffset.UtcNow });
        }
    }

    private void Update(Func<ClusterJobState, ClusterJobState> change)
    {
        lock (_gate)
            _state = change(_state);
    }

    public void Dispose() => _cancel?.Dispose();

    /// <summary>Progress from the job's loop, kept as the status's.</summary>
    private sealed class ProgressSink(ClusterBackgroundIngest owner) : IProgress<ClusterIngestProgress>
    {
        public void Report(ClusterIngestProgress value) => owner.Update(s => s with { Progress = value });
    }
}
