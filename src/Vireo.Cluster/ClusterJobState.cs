using Vireo.Answers;
using Vireo.Ingest;

namespace Vireo.Cluster;

/// <summary>
/// Where a <see cref="ClusterBackgroundIngest"/> job stands, and how clients see it: one bar for the whole job (files the
/// job skipped before sending, for being outside the roots or in unreadable folders, count as done and failed).
/// </summary>
internal sealed record ClusterJobState(IngestState State, DateTimeOffset? StartedAt)
{
    public static readonly ClusterJobState Idle = new(IngestState.Idle, null);

    public static ClusterJobState Started(DateTimeOffset at) => new(IngestState.Running, at);

    public IReadOnlyList<IngestFailure> Skipped { get; init; } = [];

    public ClusterIngestProgress? Progress { get; init; }

    public ClusterIngestReport? Report { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public IndexingView View()
    {
        var failures = Skipped.Concat(Report?.Failures ?? Progress?.Failures ?? []).ToList();
        var (done, total, seconds, elapsed) = Report is { } r ? (r.Added + r.Unchanged + r.Failures.Count, r.Added + r.Unchanged + r.Failures.Count, r.SecondsIndexed, r.Elapsed)
            : Progress is { } p ? (p.Done, p.Total, p.SecondsIndexed, p.Elapsed)
            : (0, 0, 0, TimeSpan.Zero);
        (done, total) = (done + Skipped.Count, total + Skipped.Count);
        var progress = total == 0 ? null : new IngestProgress(null, done, total, seconds, 0, elapsed, failures.Count, (double)done / total);
        var report = Report is { } finished ? new IngestReport(finished.Added, 0, finished.Unchanged, 0, 0, failures, finished.SecondsIndexed, finished.Elapsed) : null;
        var status = new IngestStatus(State, [], progress, report, Error, StartedAt, FinishedAt);
        return LibraryAnswers.View(status) with { Failures = LibraryAnswers.Failures(failures) };
    }
}
