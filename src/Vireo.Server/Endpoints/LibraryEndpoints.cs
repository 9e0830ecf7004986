using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Errors;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.TimedText;

namespace Vireo.Server.Endpoints;

/// <summary>GET /api/library (status, indexing progress), GET /api/videos, GET /api/videos/{id}/transcript, POST /api/indexing/start and /stop.</summary>
internal static class LibraryEndpoints
{
    private const int MaxPage = 500;

    public static RouteGroupBuilder MapLibraryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/library", (VireoEngine engine) => LibraryAnswers.Status(engine.Library, engine.Background.Status))
            .WithName("LibraryStatus")
            .WithSummary("The library's videos (counts), roots, model and indexing progress.");
        api.MapGet("/videos", (int? offset, int? limit, VireoEngine engine) =>
                LibraryAnswers.Videos(engine.Library, offset is < 0 ? throw new UsageException("offset cannot be negative") : offset ?? 0, SearchEndpoints.Limit(limit, MaxPage, 1, "limit"), MediaEndpoints.Links))
            .WithName("Videos")
            .WithSummary("The catalog's videos, by path, a page at a time.");
        api.MapGet("/videos/{id:long}/transcript", (long id, string? channels, VireoEngine engine) =>
                TranscriptAnswers.Of(engine.Library, id, channels is null ? null : TranscriptChannels(channels)))
            .WithName("Transcript")
            .WithSummary("What is said and written in one video (its stored subtitles, on-screen text and speech), timed, in time order.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/indexing/start", (VireoEngine engine) => engine.Background.TryStart(out var status)
                ? Results.Accepted("/api/library", LibraryAnswers.View(status))
                : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "indexing not started",
                    detail: status.State is IngestState.Running or IngestState.Stopping ? "indexing is already running"
                        : status.Roots.Count == 0 ? "the library has no roots on disk to index (index a folder with 'vireo index' first)"
                        : status.Error))
            .WithName("StartIndexing")
            .WithSummary("Starts indexing the library's roots in the background (new and changed files only).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/indexing/stop", (VireoEngine engine) => LibraryAnswers.View(engine.Background.Stop()))
            .WithName("StopIndexing")
            .WithSummary("Stops the running indexing; videos already committed stay indexed.");
        return api;
    }

    internal static HashSet<TextChannel> TranscriptChannels(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => TextChannelNames.Parse(name) ?? throw new UsageException($"channels: '{name}' is not a text channel (subtitles, ocr, speech)"))];
}
