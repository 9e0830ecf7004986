using Vireo.Library;
using Vireo.Temporal;
using Vireo.TimedText;

namespace Vireo.Retrieval;

/// <summary>
/// The text stage of a search, hybrid: the sentence's words against the timed text (a safe FTS5 query,
/// <see cref="TimedTextQuery"/>; BM25 picks the best entries, each scored by the share of the sentence's content words
/// it contains) and its meaning (the entries whose sentence embedding is nearest the sentence's). An entry found either
/// way gets one text score from both (<see cref="ChannelFusion.TextScore"/>); entries are grouped by video, best first.
/// </summary>
internal sealed class TextStage
{
    public static TextStage None { get; } = new(new Dictionary<long, List<MatchedText>>());

    private readonly Dictionary<long, List<MatchedText>> _byVideo;

    private TextStage(Dictionary<long, List<MatchedText>> byVideo) => _byVideo = byVideo;

    /// <summary>True when nothing matched.</summary>
    public bool IsEmpty => _byVideo.Count == 0;

    /// <summary>The videos with a match.</summary>
    public IEnumerable<long> VideoIds => _byVideo.Keys;

    /// <param name="library">The library searched.</param>
    /// <param name="sentence">The user's sentence.</param>
    /// <param name="options">Channels searched, fusion, how many entries each half takes.</param>
    /// <param name="meaning">The semantic half (null: words only).</param>
    public static TextStage Search(VideoLibrary library, string sentence, SearchOptions options, SentenceSearch? meaning)
    {
        var channels = SearchChannels.TextChannels(options.Channels);
        if (channels.Count == 0)
            return None;
        var query = TimedTextQuery.Parse(sentence);
        var found = new Dictionary<long, (TimedTextMatch Match, double Coverage, double Similarity)>();
        if (!query.IsEmpty)
        {
            foreach (var match in library.SearchTimedText(query, channels, options.TextMatches))
            {
                var coverage = query.Coverage(match.Entry.Text);
                if (coverage > 0) // else it matched only on stop words
                    found[match.EntryId] = (match, coverage, 0);
            }
        }
        if (meaning is not null)
        {
            var hits = meaning.Nearest(sentence, channels, (float)options.Fusion.SemanticFloor, options.TextMatches);
            var unseen = new List<long>();
            foreach (var hit in hits)
            {
                if (found.TryGetValue(hit.EntryId, out var known))
                    found[hit.EntryId] = known with { Similarity = hit.Cosine };
                else
                    unseen.Add(hit.EntryId);
            }
            var similarity = new Dictionary<long, float>(hits.Count);
            foreach (var hit in hits)
                similarity[hit.EntryId] = hit.Cosine;
            foreach (var match in library.ReadTimedTextEntries(unseen))
                found[match.EntryId] = (match, query.IsEmpty ? 0 : query.Coverage(match.Entry.Text), similarity[match.EntryId]);
        }

        var byVideo = new Dictionary<long, List<MatchedText>>();
        foreach (var (match, coverage, cosine) in found.Values)
        {
            var (words, meaningScore) = (options.Fusion.WordsScore(coverage), options.Fusion.MeaningScore(cosine));
            var score = words + meaningScore;
            if (score <= 0)
                continue;
            if (!byVideo.TryGetValue(match.VideoId, out var list))
                byVideo[match.VideoId] = list = [];
            var entry = match.Entry;
            list.Add(new MatchedText(entry.Channel, entry.Start, entry.End, entry.Text, coverage, cosine, score, meaningScore > words));
        }
        foreach (var list in byVideo.Values)
            list.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.Start.CompareTo(b.Start));
        return new TextStage(byVideo);
    }

    /// <summary>A video's matched entries, best first (empty when it has none).</summary>
    public IReadOnlyList<MatchedText> Of(long videoId) => _byVideo.TryGetValue(videoId, out var list) ? list : [];

    /// <summary>The best text score of a video's entries (0 without a match).</summary>
    public double BestScore(long videoId) => _byVideo.TryGetValue(videoId, out var list) ? list[0].Score : 0;

    /// <summary>The best text score among <paramref name="entries"/> (0 for none).</summary>
    public static double BestScore(List<MatchedText> entries)
    {
        var best = 0.0;
        foreach (var entry in entries)
            best = Math.Max(best, entry.Score);
        return best;
    }

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
