using Vireo.Ingest;
using Vireo.Library;

namespace Vireo.Answers;

/// <summary>The library at a glance (<c>/api/library</c>).</summary>
public sealed record LibraryStatus(string? Model, int Videos, int Indexed, int Failed, double IndexedSeconds, IReadOnlyList<string> Roots, IndexingView Indexing)
{
    /// <summary>The shards of a cluster that did not answer (their videos are not counted); null when all answered.</summary>
    public IReadOnlyList<string>? MissingShards { get; init; }
}

/// <summary>The background ingest as clients see it.</summary>
public sealed record IndexingView(
    IngestState State, int FilesDone, int FilesTotal, double Fraction, string? CurrentFile, int FailedFiles,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error, IndexingSummary? Report)
{
    /// <summary>The files not indexed so far and why (a cluster's job lists them; null when none or not listed).</summary>
    public IReadOnlyList<IndexingFailure>? Failures { get; init; }
}

/// <summary>A file that was not indexed: its name (never its path) and why.</summary>
public sealed record IndexingFailure(string File, string Error);

/// <summary>What a finished ingest run did.</summary>
public sealed record IndexingSummary(int Added, int Updated, int Unchanged, int Reused, int Pruned, int Failed, double SecondsIndexed, double ElapsedSeconds)
{
    /// <summary>Files indexed despite damage (also counted as added or updated).</summary>
    public int Damaged { get; init; }
}

/// <summary>One catalog entry.</summary>
public sealed record VideoEntry(VideoKey VideoId, string Name, double Duration, VideoStatus Status, string? Error, string Stream)
{
    /// <summary>[[start, end], ...] in seconds where the file is damaged; null for a sound file.</summary>
    public double[][]? Damaged { get; init; }
}

/// <summary>A page of the catalog.</summary>
public sealed record VideoPage(int Total, int Offset, IReadOnlyList<VideoEntry> Videos)
{
    /// <summary>The shards of a cluster that did not answer (their videos are missing from the list and the total); null when all answered.</summary>
    public IReadOnlyList<string>? MissingShards { get; init; }
}

/// <summary>The library's state as answers for a remote client (file names only, never paths).</summary>
public static class LibraryAnswers
{
    public static LibraryStatus Status(VideoLibrary library, IngestStatus ingest)
    {
        ArgumentNullException.ThrowIfNull(library);
        var videos = library.ListVideos();
        var indexed = videos.Where(v => v.Status == VideoStatus.Indexed).ToList();
        return new LibraryStatus(library.Settings?.Model.Name, videos.Count, indexed.Count, videos.Count - indexed.Count,
            Math.Round(indexed.Sum(v => v.Duration), 1), library.Roots, View(ingest));
    }

    public static VideoPage Videos(VideoLibrary library, int offset, int limit, IMediaLinks links)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var videos = library.ListVideos();
        return new VideoPage(videos.Count, offset, [.. videos.Skip(offset).Take(limit).Select(v => Entry(v, links.Key(null, v.Id), links))]);
    }

    /// <summary>One catalog entry named <paramref name="key"/> (file name only, never the path).</summary>
    public static VideoEntry Entry(LibraryVideo video, VideoKey key, IMediaLinks links)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(links);
        return new VideoEntry(key, Path.GetFileName(video.Path), video.Duration, video.Status, video.Error, links.Stream(key)) { Damaged = AnswerNumbers.Spans(video.Damaged) };
    }

    /// <summary>The failures as clients see them: file names, the paths in their messages shortened to file names.</summary>
    public static IReadOnlyList<IndexingFailure>? Failures(IReadOnlyCollection<IngestFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        return failures.Count == 0 ? null : [.. failures.Select(Of)];

        static IndexingFailure Of(IngestFailure failure)
        {
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(failure.Path));
            return new IndexingFailure(name, failure.Error.Replace(failure.Path, name, StringComparison.Ordinal));
        }
    }

    public static IndexingView View(IngestStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var progress = status.Progress;
        var report = status.Report is { } r
            ? new IndexingSummary(r.Added, r.Updated, r.Unchanged, r.Reused, r.Pruned, r.Failures.Count, Math.Round(r.SecondsIndexed, 1), Math.Round(r.Elapsed.TotalSeconds, 1)) { Damaged = r.Damaged.Count }
            : null;
        return new IndexingView(status.State, progress?.FilesDone ?? 0, progress?.FilesTotal ?? 0, Math.Round(progress?.Fraction ?? 0, 4),
            progress?.CurrentFile is { } current ? Path.GetFileName(current) : null, progress?.Failed ?? 0,
            status.StartedAt, status.FinishedAt, status.Error, report);
    }
}
