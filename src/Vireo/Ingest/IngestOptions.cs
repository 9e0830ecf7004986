using Vireo.Library;
using Vireo.Embedding;
using Vireo.Grounding.Events;
using Vireo.Temporal;

namespace Vireo.Ingest;

/// <summary>How videos are indexed.</summary>
public sealed record IngestOptions
{
    /// <summary>How videos become clip embeddings (clip length and frames per clip are fixed per library).</summary>
    public EmbeddingOptions Embedding { get; init; } = new();

    /// <summary>
    /// How each video is cut into events, whose prototypes are stored as coarse search vectors (null: none, only the
    /// mean-pooled video vector).
    /// </summary>
    public EventSegmentationOptions? Events { get; init; } = EventSegmentationOptions.Default;

    /// <summary>Coarse vectors from which the library keeps an approximate index (<see cref="CoarseIndex"/>).</summary>
    public int CoarseIndexThreshold { get; init; } = CoarseIndex.Threshold;

    /// <summary>Remove catalog entries whose files no longer exist.</summary>
    public bool Prune { get; init; }

    /// <summary>Video file extensions picked up when a folder is indexed (files named explicitly are always taken).</summary>
    public IReadOnlySet<string> Extensions { get; init; } = DefaultExtensions;

    public static IReadOnlySet<string> DefaultExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".wmv", ".flv", ".mpg", ".mpeg", ".ts", ".m2ts", ".mts", ".3gp", ".ogv", ".vob", ".mxf",
    };
}

/// <summary>Where an indexing run stands.</summary>
/// <param name="CurrentFile">The file being decoded.</param>
/// <param name="FilesDone">Files finished (indexed, failed or skipped).</param>
/// <param name="FilesTotal">Files to look at.</param>
/// <param name="SecondsDone">Seconds of video decoded and encoded.</param>
/// <param name="SecondsTotal">Seconds of video to index (known once each file is probed; estimated before).</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Failed">Files that could not be indexed so far.</param>
/// <param name="Fraction">Share of the work done (0..1), by the bytes of the files to decode.</param>
public sealed record IngestProgress(string? CurrentFile, int FilesDone, int FilesTotal, double SecondsDone, double SecondsTotal, TimeSpan Elapsed, int Failed, double Fraction)
{
    /// <summary>Estimated time left.</summary>
    public TimeSpan? Remaining => Fraction > 0.001 ? Elapsed * ((1 - Fraction) / Fraction) : null;

    /// <summary>Seconds of video indexed per second of wall time.</summary>
    public double RealTimeFactor => Elapsed.TotalSeconds > 0 ? SecondsDone / Elapsed.TotalSeconds : 0;
}

/// <summary>A file that could not be indexed, and why.</summary>
public sealed record IngestFailure(string Path, string Error);

/// <summary>
/// A file indexed despite damage: what decoded is indexed (up to <paramref name="IndexedUntil"/> seconds of
/// <paramref name="Duration"/>), and <paramref name="Spans"/> are the damaged stretches recorded in the catalog.
/// </summary>
public sealed record IngestDamage(string Path, double IndexedUntil, double Duration, IReadOnlyList<TemporalWindow> Spans, string Error);

/// <summary>What an indexing run did.</summary>
/// <param name="Added">New videos indexed.</param>
/// <param name="Updated">Changed videos re-indexed.</param>
/// <param name="Unchanged">Videos already up to date (including touched files with the same content).</param>
/// <param name="Reused">Copies or renames of indexed videos, stored without decoding again.</param>
/// <param name="Pruned">Catalog entries removed because their files are gone.</param>
/// <param name="Failures">Files that could not be indexed.</param>
/// <param name="SecondsIndexed">Seconds of video decoded and encoded.</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record IngestReport(int Added, int Updated, int Unchanged, int Reused, int Pruned, IReadOnlyList<IngestFailure> Failures, double SecondsIndexed, TimeSpan Elapsed)
{
    public double RealTimeFactor => Elapsed.TotalSeconds > 0 ? SecondsIndexed / Elapsed.TotalSeconds : 0;

    /// <summary>Files indexed despite damage (counted in <see cref="Added"/> or <see cref="Updated"/> too).</summary>
    public IReadOnlyList<IngestDamage> Damaged { get; init; } = [];
}
