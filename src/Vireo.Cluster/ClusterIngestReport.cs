using Vireo.Ingest;

namespace Vireo.Cluster;

/// <summary>How a cluster ingest runs.</summary>
public sealed record ClusterIngestOptions
{
    /// <summary>How long videos wait for a silo that is down (their partition is only on its disk) before they are reported as not indexed.</summary>
    public TimeSpan SiloWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one call to a silo may take before the silo counts as down.</summary>
    public TimeSpan CallDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the silos are asked for finished videos.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public IReadOnlySet<string> Extensions { get; init; } = IngestOptions.DefaultExtensions;
}

/// <summary>Where a cluster ingest stands: one bar for the whole job.</summary>
/// <param name="WaitingFor">Silos that are down with videos waiting for them.</param>
public sealed record ClusterIngestProgress(int Done, int Total, int InFlight, IReadOnlyList<string> WaitingFor, double SecondsIndexed, TimeSpan Elapsed)
{
    /// <summary>The videos and folders not indexed so far, and why.</summary>
    public IReadOnlyList<IngestFailure> Failures { get; init; } = [];

    public double Fraction => Total == 0 ? 1 : (double)Done / Total;

    public double RealTimeFactor => Elapsed.TotalSeconds > 0 ? SecondsIndexed / Elapsed.TotalSeconds : 0;
}

/// <summary>What a cluster ingest did.</summary>
/// <param name="Added">Videos indexed by this run.</param>
/// <param name="Unchanged">Videos that were indexed already (by an earlier run, or by this one just before their silo was killed).</param>
/// <param name="Failures">Videos and folders that could not be indexed, and why.</param>
/// <param name="Resent">Orders sent again because their silo went down or restarted before answering.</param>
/// <param name="PerSilo">Videos indexed or found indexed, per silo.</param>
public sealed record ClusterIngestReport(int Added, int Unchanged, IReadOnlyList<IngestFailure> Failures, double SecondsIndexed, TimeSpan Elapsed, int Resent,
    IReadOnlyDictionary<string, int> PerSilo)
{
    public double RealTimeFactor => Elapsed.TotalSeconds > 0 ? SecondsIndexed / Elapsed.TotalSeconds : 0;
}
