using Vireo.Library;
using Vireo.Models;

namespace Vireo.Ingest;

/// <summary>Where a background ingest stands.</summary>
public enum IngestState
{
    /// <summary>Never started.</summary>
    Idle,

    Running,

    /// <summary>Asked to stop; the video in flight is being abandoned.</summary>
    Stopping,

    Completed,

    /// <summary>Stopped on request; every video committed before stays indexed.</summary>
    Cancelled,

    Failed,
}

/// <summary>A snapshot of the background ingest run.</summary>
public sealed record IngestStatus(
    IngestState State, IReadOnlyList<string> Roots, IngestProgress? Progress, IngestReport? Report, string? Error,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

/// <summary>
/// Ingests the library's roots in the background, one run at a time, with start and stop. Searches go on while it
/// runs: every committed video is visible to the next search (the catalog is SQLite in WAL mode). What was committed
/// before a stop stays. Each run takes the library's writer lock like any ingest: while another writer (a
/// <c>vireo index</c> in another process) holds it, the run ends <see cref="IngestState.Failed"/> with the
/// <see cref="LibraryBusyException"/>'s message naming that process.
/// </summary>
public sealed class BackgroundIngest(VideoLibrary library, EmbeddingModel model, IngestOptions options)
    : IDisposable, IProgress<IngestProgress>, IBackgroundIndexing
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _cancel;
    private Task _run = Task.CompletedTask;
    private IngestStatus _status = new(IngestState.Idle, [], null, null, null, null, null);

    public IngestStatus Status
    {
        get
        {
            lock (_gate)
                return _status;
        }
    }

    /// <summary>Starts ingesting the library's roots; false when a run is already going (or the library has no roots).</summary>
    public bool TryStart(out IngestStatus status)
    {
        lock (_gate)
        {
            var roots = library.Roots.Where(root => File.Exists(root) || Directory.Exists(root)).ToList();
            if (_status.State is IngestState.Running or IngestState.Stopping || roots.Count == 0)
            {
                status = _status with { Roots = roots };
                return false;
            }
            if (HeldElsewhere() is { } holder)
            {
                status = _status with { Roots = roots, Error = holder };
                return false;
            }
            _cancel?.Dispose();
            _cancel = new CancellationTokenSource();
            _status = new IngestStatus(IngestState.Running, roots, null, null, null, DateTimeOffset.UtcNow, null);
            var token = _cancel.Token;
            _run = Task.Run(() => RunAsync(roots, token), CancellationToken.None);
            status = _status;
            return true;
        }
    }

    /// <summary>Why the library cannot be written now (another process holds its writer lock), or null.</summary>
    private string? HeldElsewhere()
    {
        try
        {
            using var probe = LibraryWriterLock.Acquire(library.Directory);
            return null;
        }
        catch (LibraryBusyException e)
        {
            return e.Reason;
        }
    }

    /// <summary>Asks the running ingest to stop; returns the status (unchanged when nothing runs).</summary>
    public IngestStatus Stop()
    {
        lock (_gate)
        {
            if (_status.State == IngestState.Running)
            {
                _status = _status with { State = IngestState.Stopping };
                _cancel?.Cancel();
            }
            return _status;
        }
    }

    /// <summary>Why the last run failed, when it did (for the host's log).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Waits for the current run (if any) to end.</summary>
    public Task WaitAsync(CancellationToken cancellationToken = default) => _run.WaitAsync(cancellationToken);

    private async Task RunAsync(IReadOnlyList<string> roots, CancellationToken cancellationToken)
    {
        try
        {
            var report = await new LibraryIngest(library, model, options).RunAsync(roots, this, cancellationToken).ConfigureAwait(false);
            Finish(IngestState.Completed, report, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Finish(IngestState.Cancelled, null, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Failure = e;
            Finish(IngestState.Failed, null, (e as Errors.VireoException)?.Reason ?? "the indexing run failed; the server's log says why");
        }
    }

    private void Finish(IngestState state, IngestReport? report, string? error)
    {
        lock (_gate)
            _status = _status with { State = state, Report = report, Error = error, FinishedAt = DateTimeOffset.UtcNow };
    }

    /// <summary>Progress from the ingest (called on its threads).</summary>
    void IProgress<IngestProgress>.Report(IngestProgress value)
    {
        lock (_gate)
            _status = _status with { Progress = value };
    }

    /// <summary>Stops the run and waits for it to end, or for <paramref name="cancellationToken"/> (the run ends on its own then: it was cancelled).</summary>
    public async Task StopAndWaitAsync(CancellationToken cancellationToken)
    {
        Stop();
        try
        {
            await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => _cancel?.Dispose();
}
