using Vireo.Relocalization;
using Vireo.Temporal;

namespace Vireo.Answers;

/// <summary>
/// Where a query clip occurs: <c>vireo find-clip --json</c> groups the matches by video (<see cref="Results"/>, with
/// <c>pred_relevant_windows</c>), <c>/api/find-clip</c> lists them flat with links (<see cref="Matches"/>).
/// </summary>
public sealed record FindClipAnswer(
    QueryClipAnswer Query, string? Library, string? Model, double MinScore, int Candidates,
    IReadOnlyList<ClipMatchesAnswer>? Results, IReadOnlyList<ClipMatchAnswer>? Matches, RelocalizationTimings TimingsMs)
{
    /// <summary>The shards of a cluster that did not answer (the answer is partial, made from the others); null when all answered.</summary>
    public IReadOnlyList<string>? MissingShards { get; init; }
}

/// <summary>The stretch looked for: a file (local) or a library video (remote).</summary>
public sealed record QueryClipAnswer(string? Video, VideoKey? VideoId, string? Name, double Start, double End);

/// <summary>One video's matches, best first.</summary>
public sealed record ClipMatchesAnswer(
    int Rank, string Vid, VideoKey VideoId, double? Duration, double Score, double[][] PredRelevantWindows, IReadOnlyList<ClipMatchAnswer> Matches);

/// <summary>One occurrence: [start, end] seconds, the calibrated score and how fast the query plays there.</summary>
public sealed record ClipMatchAnswer(
    int? Rank, VideoKey? VideoId, string? Name, double Start, double End, double Score, double? MeanSimilarity, double? Background,
    double Speed, bool? Refined, string? Thumbnail = null, string? Stream = null);

/// <summary>Re-localization results as answers.</summary>
public static class FindClipAnswers
{
    /// <summary>For the command line: matches grouped by video (best video first), files by path, every detail of each match.</summary>
    public static FindClipAnswer Local(RelocalizationResult result, string library, string model, double minScore, Func<long, double?> duration) =>
        Grouped(result, library, model, minScore, m => duration(m.VideoId), m => m.VideoId);

    /// <summary>
    /// For <c>vireo cluster find-clip</c>: as <see cref="Local"/>, each video named by its shard-qualified key (ids are
    /// per shard), and the shards that did not answer.
    /// </summary>
    public static FindClipAnswer Cluster(RelocalizationResult result, string model, double minScore, Func<ClipMatch, double?> duration)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Grouped(result, "cluster", model, minScore, duration, m => new VideoKey(m.VideoId, m.Shard)) with
        {
            MissingShards = result.MissingShards.Count == 0 ? null : result.MissingShards,
        };
    }

    private static FindClipAnswer Grouped(RelocalizationResult result, string library, string model, double minScore, Func<ClipMatch, double?> duration, Func<ClipMatch, VideoKey> key) => new(
        new QueryClipAnswer(result.QueryPath, null, null, AnswerNumbers.Round(result.QuerySpan.Start), AnswerNumbers.Round(result.QuerySpan.End)),
        library, model, minScore, result.Candidates,
        [.. result.Matches.GroupBy(m => (m.Shard, m.VideoId)).Select((matches, i) => new ClipMatchesAnswer(
            i + 1, matches.First().Path, key(matches.First()), duration(matches.First()), AnswerNumbers.Round(matches.First().Score),
            [.. matches.Select(m => new[] { AnswerNumbers.Round(m.Start), AnswerNumbers.Round(m.End), AnswerNumbers.Round(m.Score) })],
            [.. matches.Select(m => new ClipMatchAnswer(null, null, null, AnswerNumbers.Round(m.Start), AnswerNumbers.Round(m.End), AnswerNumbers.Round(m.Score),
                AnswerNumbers.Round(m.MeanSimilarity), AnswerNumbers.Round(m.Background), AnswerNumbers.Round(m.Speed), m.Refined))]))],
        null, result.Timings);

    /// <summary>
    /// For a remote client: the query as a library video and the span asked for, the matches at or above <paramref name="minScore"/> (at most
    /// <paramref name="top"/>) flat and ranked, by id and file name, with links.
    /// </summary>
    public static FindClipAnswer Remote(RelocalizationResult result, VideoKey queryVideo, TemporalWindow span, double minScore, int top, IMediaLinks links)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(links);
        var matches = new List<ClipMatchAnswer>(Math.Min(top, result.Matches.Count));
        foreach (var match in result.Matches)
        {
            if (matches.Count == top)
                break;
            if (match.Score < minScore)
                continue;
            var key = links.Key(match.Shard, match.VideoId);
            matches.Add(new ClipMatchAnswer(matches.Count + 1, key, Path.GetFileName(match.Path), AnswerNumbers.Round(match.Start), AnswerNumbers.Round(match.End),
                AnswerNumbers.Round(match.Score), null, null, AnswerNumbers.Round(match.Speed), null, links.Thumbnail(key, match.Start), links.Stream(key)));
        }
        var query = new QueryClipAnswer(null, queryVideo, Path.GetFileName(result.QueryPath), AnswerNumbers.Round(span.Start), AnswerNumbers.Round(span.End));
        return new FindClipAnswer(query, null, null, minScore, result.Candidates, null, matches, result.Timings)
        {
            MissingShards = result.MissingShards.Count == 0 ? null : result.MissingShards,
        };
    }
}
