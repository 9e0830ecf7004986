namespace Vireo.Cluster;

/// <summary>A video to index into a partition, sent by the client of job <paramref name="Job"/> to the partition's holder.</summary>
/// <param name="Path">The file, at a path every silo reaches (a shared file system mounted at the same place).</param>
/// <param name="ContentHash">Its <see cref="Vireo.Library.ContentHash"/>, which chose the partition.</param>
public sealed record IngestOrder(Guid Job, int Partition, string Path, string ContentHash);

/// <summary>What became of an order.</summary>
public enum IngestResult
{
    /// <summary>Indexed now (new, changed, or a copy of an indexed video).</summary>
    Added,

    /// <summary>Already indexed with the same content (a re-run, or a re-sent order whose first run committed).</summary>
    Unchanged,

    /// <summary>Could not be indexed; <see cref="IngestOutcome.Error"/> says why.</summary>
    Failed,

    /// <summary>The partition is not held by this silo (it was handed off): ask the directory again and send it there.</summary>
    Moved,
}

/// <param name="Seconds">The video's indexed duration (0 unless indexed).</param>
public sealed record IngestOutcome(string Path, IngestResult Result, double Seconds, string? Error);

/// <summary>
/// A silo's ingest side as a client sees it: <paramref name="Incarnation"/> changes when the silo restarts (the orders it
/// had are gone and must be sent again), <paramref name="Videos"/> is how many orders it takes at once.
/// </summary>
public sealed record SiloCapacity(Guid Incarnation, int Videos);

/// <summary>Outcomes collected from a silo, with its incarnation.</summary>
public sealed record CollectedOutcomes(Guid Incarnation, IngestOutcome[] Outcomes);
