using Vireo.Library;
using Vireo.Temporal;

namespace Vireo.Retrieval;

/// <summary>
/// The lexical stage of a search: the sentence as a safe FTS5 query (<see cref="TimedTextQuery"/>) over the timed text of
/// the channels searched; FTS5's BM25 picks the best entries, each is scored by the share of the sentence's content
/// words it contains, and they are grouped by video, best first.
/// </summary>
internal sealed class LexicalStage
{
    public static LexicalStage None { get; } = new(new Dictionary<long, List<MatchedText>>());

    private readonly Dictionary<long, List<MatchedText>> _byVideo;

    private LexicalStage(Dictionary<long, List<MatchedText>> byVideo) => _byVideo = byVideo;

    /// <summary>True when nothing matched.</summary>
    public bool IsEmpty => _byVideo.Count == 0;

    /// <summary>The videos with a match.</summary>
    public IEnumerable<long> VideoIds => _byVideo.Keys;

    public static LexicalStage Search(VideoLibrary library, string sentence, SearchOptions options)
    {
        var channels = SearchChannels.TextChannels(options.Channels);
        var query = TimedTextQuery.Parse(sentence);
        if (channels.Count == 0 || query.IsEmpty)
            return None;
        var byVideo = new Dictionary<long, List<MatchedText>>();
        foreach (var match in library.SearchTimedText(query, channels, options.TextMatches))
        {
            var coverage = query.Coverage(match.Entry.Text);
            if (coverage <= 0)
                continue; // matched only on stop words
            if (!byVideo.TryGetValue(match.VideoId, out var list))
                byVideo[match.VideoId] = list = [];
            var entry = match.Entry;
            list.Add(new MatchedText(entry.Channel, entry.Start, entry.End, entry.Text, coverage));
        }
        foreach (var list in byVideo.Values)
            list.Sort((a, b) => b.Coverage != a.Coverage ? b.Coverage.CompareTo(a.Coverage) : a.Start.CompareTo(b.Start));
        return new LexicalStage(byVideo);
    }

    /// <summary>A video's matched entries, best coverage first (empty when it has none).</summary>
    public IReadOnlyList<MatchedText> Of(long videoId) => _byVideo.TryGetValue(videoId, out var list) ? list : [];

    /// <summary>The best coverage of a video's entries (0 without a match).</summary>
    public double BestCoverage(long videoId) => _byVideo.TryGetValue(videoId, out var list) ? list[0].Coverage : 0;

    /// <summary>The entries of a video that overlap <paramref name="window"/> by at least half of the entry or of the window.</summary>
    public List<MatchedText> Overlapping(long videoId, TemporalWindow window)
    {
        var overlapping = new List<MatchedText>();
        foreach (var entry in Of(videoId))
        {
            var shared = window.Intersection(new TemporalWindow(entry.Start, entry.End));
            var shorter = Math.Min(window.Length, entry.End - entry.Start);
            if (shared > 0 && shared >= 0.5 * shorter)
                overlapping.Add(entry);
        }
        return overlapping;
    }
}
