using Vireo.Library;
using Vireo.Retrieval;

namespace Vireo.Answers;

/// <summary>
/// A library's answer to a sentence, as <c>vireo search --json</c> prints it and <c>/api/search</c> returns it. Fields
/// that one host does not fill are null and left out of the JSON (the command line names files by path, the server by
/// id and name, with links).
/// </summary>
public sealed record SearchAnswer(
    string Query, string? Library, string? Model, IReadOnlyList<VideoAnswer> Results, IReadOnlyList<MomentAnswer> Moments, SearchTimings TimingsMs)
{
    /// <summary>The shards of a cluster that did not answer (the answer is partial, made from the others); null when all answered.</summary>
    public IReadOnlyList<string>? MissingShards { get; init; }
}

/// <summary>One ranked video with its moments in the QVHighlights / Lighthouse form.</summary>
/// <param name="Rank">1 for the best video.</param>
/// <param name="Vid">The video file (local answers only).</param>
/// <param name="VideoId">The catalog's id.</param>
/// <param name="Name">The file's name (remote answers only).</param>
/// <param name="Duration">Seconds.</param>
/// <param name="Score">The video score.</param>
/// <param name="Scores">The parts of the video score (local answers only).</param>
/// <param name="ClipLength">Seconds per clip of the saliency curve.</param>
/// <param name="PredRelevantWindows">[[start, end, score], ...] in seconds, best first.</param>
/// <param name="PredSaliencyScores">One raw cosine similarity per clip.</param>
/// <param name="Thumbnail">A thumbnail's address (remote answers only).</param>
/// <param name="Stream">The video's stream address (remote answers only).</param>
public sealed record VideoAnswer(
    int Rank, string? Vid, VideoKey VideoId, string? Name, double Duration, double Score, ScoreParts? Scores, double ClipLength,
    double[][] PredRelevantWindows, double[] PredSaliencyScores, string? Thumbnail = null, string? Stream = null)
{
    /// <summary>[[start, end], ...] in seconds where the file is damaged (see <c>LibraryVideo.Damaged</c>); null for a sound file.</summary>
    public double[][]? Damaged { get; init; }

    /// <summary>The channels that matched (<c>visual</c>, <c>subtitles</c>, <c>speech</c>, <c>ocr</c>); null when none did.</summary>
    public IReadOnlyList<string>? MatchedChannels { get; init; }

    /// <summary>The timed text that matched, with its times, best first; null when no text matched.</summary>
    public IReadOnlyList<MatchedTextAnswer>? MatchedText { get; init; }
}

/// <summary>A quoted timed-text entry that matched the sentence.</summary>
/// <param name="Channel"><c>subtitles</c>, <c>speech</c> or <c>ocr</c>.</param>
/// <param name="Start">Seconds.</param>
/// <param name="End">Seconds.</param>
/// <param name="Text">The entry's text.</param>
/// <param name="Words">Share (0..1) of the sentence's content words the text contains.</param>
/// <param name="Meaning">Cosine of the sentence embeddings of the text and the sentence (null when its meaning was not among the nearest).</param>
/// <param name="MatchedBy"><c>words</c>, or <c>meaning</c> when its meaning counted more than its words.</param>
public sealed record MatchedTextAnswer(string Channel, double Start, double End, string Text, double Words, double? Meaning, string MatchedBy);

/// <summary>The parts of a video score: mean-pooled, best clip and best event similarity (null without events).</summary>
public sealed record ScoreParts(double MeanPooled, double BestClip, double? BestEvent);

/// <summary>One of the best moments across the library (video corpus moment retrieval).</summary>
public sealed record MomentAnswer(string? Vid, VideoKey VideoId, string? Name, double Start, double End, double Score)
{
    /// <summary>The channels that found the moment; null when none is known.</summary>
    public IReadOnlyList<string>? MatchedChannels { get; init; }

    /// <summary>The timed text inside the moment that matched; null when none did.</summary>
    public IReadOnlyList<MatchedTextAnswer>? MatchedText { get; init; }
}

/// <summary>Search results as answers.</summary>
public static class SearchAnswers
{
    /// <summary>For the command line: files by path, unrounded video scores and their parts, the library and model named.</summary>
    public static SearchAnswer Local(SearchResult result, string library, string model) => LocalAnswer(result, library, model) with
    {
        MissingShards = result.MissingShards.Count == 0 ? null : result.MissingShards,
    };

    private static SearchAnswer LocalAnswer(SearchResult result, string library, string model) => new(
        result.Query, library, model,
        [.. result.Videos.Select((hit, i) => new VideoAnswer(
            i + 1, hit.Path, hit.VideoId, null, hit.Duration, hit.Score,
            new ScoreParts(hit.Match.MeanPooled, hit.Match.BestClip, double.IsNaN(hit.Match.BestEvent) ? null : hit.Match.BestEvent),
            hit.ClipLength, AnswerNumbers.Windows(hit.Moments), AnswerNumbers.Saliency(hit.Saliency))
            {
                Damaged = AnswerNumbers.Spans(hit.Damaged), MatchedChannels = Channels(hit.MatchedChannels), MatchedText = Quotes(hit.MatchedText),
            })],
        [.. result.Moments.Select(m => new MomentAnswer(m.Path, m.VideoId, null, AnswerNumbers.Round(m.Start), AnswerNumbers.Round(m.End), AnswerNumbers.Round(m.Score))
        {
            MatchedChannels = Channels(m.MatchedChannels), MatchedText = Quotes(m.MatchedText),
        })],
        result.Timings);

    /// <summary>For a remote client: videos by id and file name (never a path), at most <paramref name="top"/> videos and <paramref name="moments"/> moments each, with links.</summary>
    public static SearchAnswer Remote(SearchResult result, int top, int moments, IMediaLinks links)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(links);
        return new SearchAnswer(
            result.Query, null, null,
            [.. result.Videos.Take(top).Select((hit, i) => RemoteVideo(hit, i + 1, moments, links.Key(hit.Shard, hit.VideoId), links))],
            [.. result.Moments.Select(m => new MomentAnswer(null, links.Key(m.Shard, m.VideoId), Path.GetFileName(m.Path), AnswerNumbers.Round(m.Start), AnswerNumbers.Round(m.End), AnswerNumbers.Round(m.Score))
            {
                MatchedChannels = Channels(m.MatchedChannels), MatchedText = Quotes(m.MatchedText),
            })],
            result.Timings)
        {
            MissingShards = result.MissingShards.Count == 0 ? null : result.MissingShards,
        };
    }

    private static VideoAnswer RemoteVideo(VideoHit hit, int rank, int moments, VideoKey key, IMediaLinks links) => new(
        rank, null, key, Path.GetFileName(hit.Path), hit.Duration, AnswerNumbers.Round(hit.Score), null, hit.ClipLength,
        AnswerNumbers.Windows(hit.Moments.Take(moments)), AnswerNumbers.Saliency(hit.Saliency),
        links.Thumbnail(key, hit.Moments.Count > 0 ? hit.Moments[0].Start : hit.Duration / 2), links.Stream(key))
    {
        Damaged = AnswerNumbers.Spans(hit.Damaged), MatchedChannels = Channels(hit.MatchedChannels), MatchedText = Quotes(hit.MatchedText),
    };

    private static string[]? Channels(IReadOnlyList<SearchChannel> channels) =>
        channels.Count == 0 ? null : [.. channels.Select(SearchChannels.Name)];

    private static MatchedTextAnswer[]? Quotes(IReadOnlyList<MatchedText> text) =>
        text.Count == 0 ? null : [.. text.Select(t => new MatchedTextAnswer(TextChannelNames.Name(t.Channel),
            AnswerNumbers.Round(t.Start), AnswerNumbers.Round(t.End), t.Text, AnswerNumbers.Round(t.Coverage), t.Similarity > 0 ? AnswerNumbers.Round(t.Similarity) : null,
            t.ByMeaning ? "meaning" : "words"))];
}
