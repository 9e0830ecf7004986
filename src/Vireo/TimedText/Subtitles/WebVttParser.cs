namespace Vireo.TimedText.Subtitles;

/// <summary>
/// Reads WebVTT (.vtt): the <c>WEBVTT</c> header and its block, then blocks separated by blank lines. A block is a cue
/// (an optional identifier line, a timing line <c>00:01.000 --> 00:04.000 align:start</c> with optional cue settings, the
/// text), a <c>NOTE</c> comment, or a <c>STYLE</c> or <c>REGION</c> definition; the last three are not text.
/// </summary>
public static class WebVttParser
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="name"/> is the file or track named in issues.</summary>
    public static SubtitleDocument Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = SubtitleLines.Split(text);
        var cues = new CueCollector(name);
        var i = 0;
        if (HasHeader(lines[0]))
            i = BlockEnd(lines, 0);
        else
            cues.ReportBadLine(0, "the file does not start with WEBVTT", lines[0].Trim());

        while (i < lines.Length)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                i++;
                continue;
            }
            var blockEnd = BlockEnd(lines, i);
            if (IsNonCueBlock(lines[i]))
            {
                i = blockEnd;
                continue;
            }
            var timing = SubtitleClock.IsTimingLine(lines[i]) ? i
                : i + 1 < blockEnd && SubtitleClock.IsTimingLine(lines[i + 1]) ? i + 1
                : -1;
            if (timing < 0)
            {
                cues.ReportBadLine(i, "not a cue, NOTE, STYLE or REGION block", lines[i].Trim());
                i = blockEnd;
                continue;
            }
            // A timing line inside the text starts the next cue (a missing blank line), as the specification's parser does.
            var textEnd = timing + 1;
            while (textEnd < blockEnd && !SubtitleClock.IsTimingLine(lines[textEnd]))
                textEnd++;
            if (SubtitleClock.TryParseTiming(lines[timing], out var start, out var end))
                cues.Add(timing, start, end, CueText.FromMarkupLines(lines[(timing + 1)..textEnd]));
            else
                cues.ReportBadLine(timing, "bad timing line", lines[timing].Trim());
            i = textEnd;
        }
        return cues.ToDocument(SubtitleFormat.WebVtt);
    }

    /// <summary>"WEBVTT", alone or followed by a space or tab and a description.</summary>
    internal static bool HasHeader(ReadOnlySpan<char> firstLine) =>
        firstLine.StartsWith("WEBVTT", StringComparison.Ordinal)
        && (firstLine.Length == 6 || firstLine[6] is ' ' or '\t');

    private static bool IsNonCueBlock(ReadOnlySpan<char> firstLine)
    {
        foreach (var keyword in (ReadOnlySpan<string>)["NOTE", "STYLE", "REGION"])
        {
            if (firstLine.StartsWith(keyword, StringComparison.Ordinal)
                && (firstLine.Length == keyword.Length || char.IsWhiteSpace(firstLine[keyword.Length])))
                return true;
        }
        return false;
    }

    /// <summary>The index of the first blank line after <paramref name="start"/>, or the end.</summary>
    private static int BlockEnd(string[] lines, int start)
    {
        var i = start + 1;
        while (i < lines.Length && !string.IsNullOrWhiteSpace(lines[i]))
            i++;
        return i;
    }
}
