using Whisper.net;

namespace Vireo.TimedText.Speech;

/// <summary>
/// Turns Whisper's segments into timed text on the video's clock: offset by where their chunk starts, kept inside the
/// chunk (a model can emit timestamps past the audio it was given), in time order, with words from the token
/// timestamps.
/// </summary>
internal sealed class WhisperSegments(string source, string? forcedLanguage, bool withWords)
{
    private const double TokenTick = 0.01;
    private readonly List<SpeechSegment> _segments = [];
    private readonly Dictionary<string, int> _languages = new(StringComparer.Ordinal);

    public IReadOnlyList<SpeechSegment> Segments => _segments;

    /// <summary>The forced language, else the one most segments were detected in.</summary>
    public string? Language => forcedLanguage ?? _languages.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).FirstOrDefault();

    public void Add(SegmentData segment, AudioChunk chunk)
    {
        var text = segment.Text.Trim();
        if (text.Length == 0)
            return;
        var floor = _segments.Count > 0 ? _segments[^1].Entry.Start : 0;
        var start = Math.Max(floor, Place(segment.Start.TotalSeconds, chunk));
        var end = Math.Max(start, Place(segment.End.TotalSeconds, chunk));
        var textTokens = segment.Tokens.Where(IsText).ToList();
        var confidence = textTokens.Count > 0 ? textTokens.Average(t => (double)t.Probability) : segment.Probability;
        var language = forcedLanguage ?? (string.IsNullOrEmpty(segment.Language) ? null : segment.Language);
        if (language is not null && forcedLanguage is null)
            _languages[language] = _languages.GetValueOrDefault(language) + 1;
        var entry = new TimedTextEntry(TextChannel.Speech, language, start, end, text, Math.Clamp(confidence, 0, 1), source);
        _segments.Add(new SpeechSegment(entry, withWords ? Words(textTokens, chunk, start, end) : []));
    }

    /// <summary>
    /// Words from tokens: a token whose text starts with a space begins a word; the others (the rest of a long word,
    /// punctuation) continue the current one. Tokens without timestamps (-1) take the segment's bounds.
    /// </summary>
    private static List<SpeechWord> Words(List<WhisperToken> tokens, AudioChunk chunk, double segmentStart, double segmentEnd)
    {
        var words = new List<SpeechWord>();
        var current = new List<WhisperToken>();
        void Flush()
        {
            var text = string.Concat(current.Select(t => t.Text)).Trim();
            if (text.Length > 0)
            {
                var start = Math.Clamp(current[0].Start >= 0 ? Place(current[0].Start * TokenTick, chunk) : segmentStart, segmentStart, segmentEnd);
                var end = Math.Clamp(current[^1].End >= 0 ? Place(current[^1].End * TokenTick, chunk) : segmentEnd, start, segmentEnd);
                if (words.Count > 0 && start < words[^1].Start)
                    start = Math.Min(words[^1].Start, end);
                words.Add(new SpeechWord(start, Math.Max(start, end), text, current.Average(t => (double)t.Probability)));
            }
            current.Clear();
        }
        foreach (var token in tokens)
        {
            if (current.Count > 0 && token.Text?.StartsWith(' ') == true)
                Flush();
            current.Add(token);
        }
        if (current.Count > 0)
            Flush();
        return words;
    }

    private static double Place(double secondsInChunk, AudioChunk chunk) =>
        chunk.StartSeconds + Math.Clamp(secondsInChunk, 0, chunk.Seconds);

    /// <summary>whisper.cpp names its special tokens [_BEG_], [_TT_42], [_EOT_] ...; OpenAI's spelling is &lt;|en|&gt;.</summary>
    private static bool IsText(WhisperToken token) =>
        token.Text is { Length: > 0 } text
        && !(text.StartsWith("[_", StringComparison.Ordinal) && text.EndsWith(']'))
        && !(text.StartsWith("<|", StringComparison.Ordinal) && text.EndsWith("|>", StringComparison.Ordinal));
}
