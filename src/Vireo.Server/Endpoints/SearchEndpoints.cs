using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Retrieval;

namespace Vireo.Server.Endpoints;

/// <summary>A search asked for in a request body.</summary>
/// <param name="Query">What to look for, in words.</param>
/// <param name="Top">Videos to return (at most the server's limit).</param>
/// <param name="Moments">Moments per video (at most the server's limit).</param>
public sealed record SearchRequest(string? Query, int? Top = null, int? Moments = null);

/// <summary>The library's answer to a sentence.</summary>
public sealed record SearchResponse(string Query, IReadOnlyList<VideoResult> Results, IReadOnlyList<MomentResult> Moments, SearchTimings TimingsMs);

/// <summary>One ranked video, with its moments in the QVHighlights form and links to its thumbnail and stream.</summary>
public sealed record VideoResult(
    int Rank, long VideoId, string Name, double Duration, double Score, double ClipLength,
    double[][] PredRelevantWindows, double[] PredSaliencyScores, string Thumbnail, string Stream);

/// <summary>One of the best moments across the library.</summary>
public sealed record MomentResult(long VideoId, string Name, double Start, double End, double Score);

/// <summary>GET and POST /api/search: text → videos with moments.</summary>
internal static class SearchEndpoints
{
    public static RouteGroupBuilder MapSearchEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/search", (string? q, int? top, int? moments, LibrarySearcher searcher, CancellationToken ct) =>
                SearchAsync(searcher, new SearchRequest(q, top, moments), ct))
            .WithName("Search")
            .WithSummary("Ranks the library's videos for a sentence, with each video's moments and saliency curve.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/search", (SearchRequest request, LibrarySearcher searcher, CancellationToken ct) => SearchAsync(searcher, request, ct))
            .WithName("SearchPost")
            .WithSummary("The same search, with the query in a JSON body.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<SearchResponse> SearchAsync(LibrarySearcher searcher, SearchRequest request, CancellationToken ct)
    {
        var top = Limit(request.Top, searcher.Options.TopVideos, 1, "top");
        var moments = Limit(request.Moments, searcher.Options.MomentsPerVideo, 0, "moments");
        var answer = await searcher.SearchAsync(request.Query ?? "", ct).ConfigureAwait(false);
        var results = answer.Videos.Take(top).Select((hit, i) => new VideoResult(
            i + 1, hit.VideoId, Path.GetFileName(hit.Path), hit.Duration, SearchJson.Round(hit.Score), hit.ClipLength,
            SearchJson.Windows(hit.Moments.Take(moments)), SearchJson.Saliency(hit.Saliency),
            MediaEndpoints.ThumbnailUrl(hit.VideoId, hit.Moments.Count > 0 ? hit.Moments[0].Start : hit.Duration / 2),
            MediaEndpoints.StreamUrl(hit.VideoId))).ToList();
        var best = answer.Moments.Select(m => new MomentResult(m.VideoId, Path.GetFileName(m.Path), SearchJson.Round(m.Start), SearchJson.Round(m.End), SearchJson.Round(m.Score))).ToList();
        return new SearchResponse(answer.Query, results, best, answer.Timings);
    }

    /// <summary>A count from the request, checked: the server's limit when absent.</summary>
    internal static int Limit(int? requested, int most, int least, string name)
    {
        if (requested is not { } value)
            return most;
        if (value < least || value > most)
            throw new ArgumentException($"{name} must be between {least} and {most}");
        return value;
    }
}
