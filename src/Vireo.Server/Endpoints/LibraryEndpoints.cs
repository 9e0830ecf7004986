using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Library;
using Vireo.Server.Indexing;

namespace Vireo.Server.Endpoints;

/// <summary>The library at a glance.</summary>
public sealed record LibraryStatus(string? Model, int Videos, int Indexed, int Failed, double IndexedSeconds, IReadOnlyList<string> Roots, IndexingView Indexing);

/// <summary>The indexing run as clients see it.</summary>
public sealed record IndexingView(
    IndexingState State, int FilesDone, int FilesTotal, double Fraction, string? CurrentFile, int FailedFiles,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error, IndexingSummary? Report);

/// <summary>What a finished run did.</summary>
public sealed record IndexingSummary(int Added, int Updated, int Unchanged, int Reused, int Pruned, int Failed, double SecondsIndexed, double ElapsedSeconds);

/// <summary>One catalog entry.</summary>
public sealed record VideoEntry(long VideoId, string Name, double Duration, VideoStatus Status, string? Error, string Stream);

/// <summary>A page of the catalog.</summary>
public sealed record VideoPage(int Total, int Offset, IReadOnlyList<VideoEntry> Videos);

/// <summary>GET /api/library (status, indexing progress), GET /api/videos, POST /api/indexing/start and /stop.</summary>
internal static class LibraryEndpoints
{
    private const int MaxPage = 500;

    public static RouteGroupBuilder MapLibraryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/library", (VideoLibrary library, IndexingService indexing) => Status(library, indexing.Status))
            .WithName("LibraryStatus")
            .WithSummary("The library's videos (counts), roots, model and indexing progress.");
        api.MapGet("/videos", (int? offset, int? limit, VideoLibrary library) => Videos(library, offset ?? 0, SearchEndpoints.Limit(limit, MaxPage, 1, "limit")))
            .WithName("Videos")
            .WithSummary("The catalog's videos, by path, a page at a time.");
        api.MapPost("/indexing/start", (IndexingService indexing) => indexing.TryStart(out var status)
                ? Results.Accepted("/api/library", View(status))
                : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "indexing not started",
                    detail: status.State is IndexingState.Running or IndexingState.Stopping ? "indexing is already running" : "the library has no roots on disk to index (index a folder with 'vireo index' first)"))
            .WithName("StartIndexing")
            .WithSummary("Starts indexing the library's roots in the background (new and changed files only).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/indexing/stop", (IndexingService indexing) => View(indexing.Stop()))
            .WithName("StopIndexing")
            .WithSummary("Stops the running indexing; videos already committed stay indexed.");
        return api;
    }

    private static LibraryStatus Status(VideoLibrary library, IndexingStatus indexing)
    {
        var videos = library.ListVideos();
        var indexed = videos.Where(v => v.Status == VideoStatus.Indexed).ToList();
        return new LibraryStatus(library.Settings?.Model.Name, videos.Count, indexed.Count, videos.Count - indexed.Count,
            Math.Round(indexed.Sum(v => v.Duration), 1), library.Roots, View(indexing));
    }

    private static VideoPage Videos(VideoLibrary library, int offset, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var videos = library.ListVideos();
        return new VideoPage(videos.Count, offset, [.. videos.Skip(offset).Take(limit).Select(v =>
            new VideoEntry(v.Id, Path.GetFileName(v.Path), v.Duration, v.Status, v.Error, MediaEndpoints.StreamUrl(v.Id)))]);
    }

    private static IndexingView View(IndexingStatus status)
    {
        var progress = status.Progress;
        var report = status.Report is { } r
            ? new IndexingSummary(r.Added, r.Updated, r.Unchanged, r.Reused, r.Pruned, r.Failures.Count, Math.Round(r.SecondsIndexed, 1), Math.Round(r.Elapsed.TotalSeconds, 1))
            : null;
        return new IndexingView(status.State, progress?.FilesDone ?? 0, progress?.FilesTotal ?? 0, Math.Round(progress?.Fraction ?? 0, 4),
            progress?.CurrentFile is { } current ? Path.GetFileName(current) : null, progress?.Failed ?? 0,
            status.StartedAt, status.FinishedAt, status.Error, report);
    }
}
