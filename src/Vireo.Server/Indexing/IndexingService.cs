using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vireo.Library;
using Vireo.Ingest;
using Vireo.Models;

namespace Vireo.Server.Indexing;

/// <summary>Where the server's indexing stands.</summary>
public enum IndexingState
{
    /// <summary>Never started since the server started.</summary>
    Idle,

    Running,

    /// <summary>Asked to stop; the video in flight is being abandoned.</summary>
    Stopping,

    Completed,

    /// <summary>Stopped on request; every video committed before stays indexed.</summary>
    Cancelled,

    Failed,
}

/// <summary>A snapshot of the indexing run, for the status endpoint.</summary>
public sealed record IndexingStatus(
    IndexingState State, IReadOnlyList<string> Roots, IngestProgress? Progress, IngestReport? Report, string? Error,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

/// <summary>
/// Indexes the library's roots in the background, one run at a time, with start and stop. Searches go on while it
/// runs: every committed video is visible to the next search (the catalog is SQLite in WAL mode). Stopping the
/// server stops the run; what was committed stays.
/// </summary>
public sealed partial class IndexingService(VideoLibrary library, EmbeddingModel model, ServerOptions options, ILogger<IndexingService> logger)
    : IHostedService, IDisposable, IProgress<IngestProgress>
{
    private readonly Lock _gate = new();
    private CancellationTokenSource? _cancel;
    private Task _run = Task.CompletedTask;
    private IndexingStatus _status = new(IndexingState.Idle, [], null, null, null, null, null);

    public IndexingStatus Status
    {
        get
        {
            lock (_gate)
                return _status;
        }
    }

    /// <summary>Starts indexing the library's roots; false when a run is already going (or the library has no roots).</summary>
    public bool TryStart(out IndexingStatus status)
    {
        lock (_gate)
        {
            var roots = library.Roots.Where(root => File.Exists(root) || Directory.Exists(root)).ToList();
            if (_status.State is IndexingState.Running or IndexingState.Stopping || roots.Count == 0)
            {
                status = _status with { Roots = roots };
                return false;
            }
            _cancel?.Dispose();
            _cancel = new CancellationTokenSource();
            _status = new IndexingStatus(IndexingState.Running, roots, null, null, null, DateTimeOffset.UtcNow, null);
            var token = _cancel.Token;
            _run = Task.Run(() => RunAsync(roots, token), CancellationToken.None);
            status = _status;
            return true;
        }
    }

    /// <summary>Asks the running indexing to stop; returns the status (unchanged when nothing runs).</summary>
    public IndexingStatus Stop()
    {
        lock (_gate)
        {
            if (_status.State == IndexingState.Running)
            {
                _status = _status with { State = IndexingState.Stopping };
                _cancel?.Cancel();
            }
            return _status;
        }
    }

    /// <summary>Waits for the current run (if any) to end.</summary>
    public Task WaitAsync(CancellationToken cancellationToken = default) => _run.WaitAsync(cancellationToken);

    private async Task RunAsync(IReadOnlyList<string> roots, CancellationToken cancellationToken)
    {
        try
        {
            var report = await new LibraryIngest(library, model, options.Indexing).RunAsync(roots, this, cancellationToken).ConfigureAwait(false);
            Finish(IndexingState.Completed, report, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Finish(IndexingState.Cancelled, null, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogFailed(logger, e);
            Finish(IndexingState.Failed, null, e.Message);
        }
    }

    private void Finish(IndexingState state, IngestReport? report, string? error)
    {
        lock (_gate)
            _status = _status with { State = state, Report = report, Error = error, FinishedAt = DateTimeOffset.UtcNow };
    }

    /// <summary>Progress from the indexer (called on its threads).</summary>
    void IProgress<IngestProgress>.Report(IngestProgress value)
    {
        lock (_gate)
            _status = _status with { Progress = value };
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        Stop();
        try
        {
            await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout passed; the run ends on its own (it was cancelled).
        }
    }

    public void Dispose() => _cancel?.Dispose();

    [LoggerMessage(Level = LogLevel.Error, Message = "indexing failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
