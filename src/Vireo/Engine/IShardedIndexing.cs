using Vireo.Answers;
using Vireo.Ingest;

namespace Vireo.Engine;

/// <summary>
/// Indexing into a sharded library (a cluster's distributed ingest) as a host offers it: one job at a time, in the
/// background, over paths inside the <see cref="Roots"/> the host may index; stoppable (what was committed stays).
/// </summary>
public interface IShardedIndexing : IBackgroundIndexing
{
    /// <summary>The folders (or files) the host may index.</summary>
    IReadOnlyList<string> Roots { get; }

    /// <summary>The running or last job as clients see it.</summary>
    IndexingView Status { get; }

    /// <summary>Starts indexing <paramref name="paths"/> (every root when null or empty).</summary>
    /// <exception cref="Errors.ConflictException">A job is running, or the host may index nothing.</exception>
    /// <exception cref="Errors.UsageException">A path is not inside a root.</exception>
    /// <exception cref="Errors.InputException">A path does not exist (<see cref="Errors.ErrorKind.NotFound"/>).</exception>
    IndexingView Start(IReadOnlyList<string>? paths);

    /// <summary>Asks the running job to stop; returns the status (unchanged when nothing runs).</summary>
    IndexingView RequestStop();
}
