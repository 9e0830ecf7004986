namespace Vireo.Answers;

/// <summary>A search asked for in a request body.</summary>
/// <param name="Query">What to look for, in words.</param>
/// <param name="Top">Videos to return (at most the server's limit).</param>
/// <param name="Moments">Moments per video (at most the server's limit).</param>
/// <param name="Channels">What to search, comma-separated (<c>visual,subtitles,speech,ocr</c>); all when absent.</param>
public sealed record SearchRequest(string? Query, int? Top = null, int? Moments = null, string? Channels = null);

/// <summary>Where in one library video a sentence happens.</summary>
/// <param name="VideoId">The video's id in the library (from search or /api/videos); required.</param>
/// <param name="Query">What to look for, in words.</param>
/// <param name="Top">Moments to return.</param>
public sealed record GroundRequest(VideoKey? VideoId, string? Query, int? Top = null);

/// <summary>Where else a stretch of one library video occurs in the library.</summary>
/// <param name="VideoId">The video the query clip is cut from (from search or /api/videos); required.</param>
/// <param name="Start">Start of the query clip in seconds (default 0).</param>
/// <param name="End">End of the query clip in seconds (default: the end of the video).</param>
/// <param name="Top">Matches to return (at most the server's limit).</param>
/// <param name="MinScore">Reporting threshold on the calibrated score; at least the server's.</param>
public sealed record FindClipRequest(VideoKey? VideoId, double? Start = null, double? End = null, int? Top = null, double? MinScore = null);

/// <summary>What a cluster indexes (<c>POST /api/indexing/start</c>); an empty or absent body indexes every root the server may index.</summary>
/// <param name="Paths">Video files or folders inside those roots, on a path every silo reaches.</param>
public sealed record IndexingRequest(IReadOnlyList<string>? Paths = null);
