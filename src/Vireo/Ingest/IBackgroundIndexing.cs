namespace Vireo.Ingest;

/// <summary>An indexing run a host ties to its life: stopped and waited for when the host stops.</summary>
public interface IBackgroundIndexing
{
    /// <summary>Why the last run failed, when it did (for the host's log).</summary>
    Exception? Failure { get; }

    /// <summary>Stops the run and waits for it to end, or for <paramref name="cancellationToken"/>.</summary>
    Task StopAndWaitAsync(CancellationToken cancellationToken);
}
