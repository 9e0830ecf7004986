namespace Vireo.TimedText.Subtitles;

/// <summary>
/// Reads SubRip (.srt): cues of an optional index line, a timing line <c>00:01:02,500 --> 00:01:04,000</c> and text lines
/// up to a blank line. Tolerates what real files do: missing blank lines between cues (a number followed by a timing line
/// opens the next cue), periods for commas, hours past 99, missing index lines, coordinates after the end time.
/// </summary>
public static class SubRipParser
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="name"/> is the file or track named in issues.</summary>
    public static SubtitleDocument Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = SubtitleLines.Split(text);
        var cues = new CueCollector(name);
        var i = 0;
        while (i < lines.Length)
        {
            var line = lines[i].AsSpan().Trim();
            if (line.IsEmpty || IsIndexBeforeTiming(lines, i))
            {
                i++;
                continue;
            }
            if (!SubtitleClock.IsTimingLine(line))
            {
                cues.ReportBadLine(i, "not part of a cue", lines[i].Trim());
                i = NextCueOrBlank(lines, i + 1);
                continue;
            }

            var timingLine = i;
            var end = NextCueOrBlank(lines, i + 1);
            if (SubtitleClock.TryParseTiming(line, out var startTime, out var endTime))
                cues.Add(timingLine, startTime, endTime, CueText.FromMarkupLines(lines[(timingLine + 1)..end]));
            else
                cues.ReportBadLine(timingLine, "bad timing line", lines[timingLine].Trim());
            i = end;
        }
        return cues.ToDocument(SubtitleFormat.SubRip);
    }

    /// <summary>The first line at or after <paramref name="from"/> that is blank or opens another cue.</summary>
    private static int NextCueOrBlank(string[] lines, int from)
    {
        var i = from;
        while (i < lines.Length && !string.IsNullOrWhiteSpace(lines[i])
            && !SubtitleClock.IsTimingLine(lines[i]) && !IsIndexBeforeTiming(lines, i))
            i++;
        return i;
    }

    private static bool IsIndexBeforeTiming(string[] lines, int i)
    {
        var line = lines[i].AsSpan().Trim();
        return !line.IsEmpty && !line.ContainsAnyExceptInRange('0', '9')
            && i + 1 < lines.Length && SubtitleClock.IsTimingLine(lines[i + 1]);
    }
}
