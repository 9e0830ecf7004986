using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Errors;
using Vireo.Retrieval;
using Vireo.Server.Configuration;

namespace Vireo.Server.Endpoints;

/// <summary>GET and POST /api/search: text → videos with moments.</summary>
internal static class SearchEndpoints
{
    public static RouteGroupBuilder MapSearchEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/search", (string? q, int? top, int? moments, string? channels, VireoEngine engine, ServerOptions options, CancellationToken ct) =>
                SearchAsync(engine, options, new SearchRequest(q, top, moments, channels), ct))
            .WithName("Search")
            .WithSummary("Ranks the library's videos for a sentence, with each video's moments and saliency curve.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapPost("/search", (SearchRequest request, VireoEngine engine, ServerOptions options, CancellationToken ct) => SearchAsync(engine, options, request, ct))
            .WithName("SearchPost")
            .WithSummary("The same search, with the query in a JSON body.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static Task<SearchAnswer> SearchAsync(VireoEngine engine, ServerOptions options, SearchRequest request, CancellationToken ct) =>
        AnswerAsync(request, options, MediaEndpoints.Links, (query, search, token) => engine.SearchAsync(query, search, token), ct);

    /// <summary>A search request checked against the server's limits, run by <paramref name="search"/>, as the answer.</summary>
    internal static async Task<SearchAnswer> AnswerAsync(SearchRequest request, ServerOptions options, IMediaLinks links,
        Func<string, SearchOptions, CancellationToken, Task<SearchResult>> search, CancellationToken ct)
    {
        var top = Limit(request.Top, options.Search.TopVideos, 1, "top");
        var moments = Limit(request.Moments, options.Search.MomentsPerVideo, 0, "moments");
        var searchOptions = request.Channels is null ? options.Search : options.Search with { Channels = SearchChannels.Parse(request.Channels) };
        var answer = await search(request.Query ?? "", searchOptions, ct).ConfigureAwait(false);
        return SearchAnswers.Remote(answer, top, moments, links);
    }

    /// <summary>A count from the request, checked: the server's limit when absent.</summary>
    internal static int Limit(int? requested, int most, int least, string name)
    {
        if (requested is not { } value)
            return most;
        if (value < least || value > most)
            throw new UsageException($"{name} must be between {least} and {most}");
        return value;
    }
}
