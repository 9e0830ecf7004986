namespace Vireo.TimedText.Subtitles;

/// <summary>
/// Reads ASS and SSA (.ass, .ssa): the <c>Dialogue:</c> lines of the <c>[Events]</c> section, their fields in the order
/// its <c>Format:</c> line gives (the standard order when it has none). <c>Comment:</c> lines and other sections are not
/// text. An event whose text is only overrides or drawing is typesetting and left out without an issue.
/// </summary>
public static class AssParser
{
    private static readonly string[] StandardFormat = ["Layer", "Start", "End", "Style", "Name", "MarginL", "MarginR", "MarginV", "Effect", "Text"];

    /// <summary>Parses <paramref name="text"/>; <paramref name="name"/> is the file or track named in issues.</summary>
    public static SubtitleDocument Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = SubtitleLines.Split(text);
        var cues = new CueCollector(name);
        var section = "";
        var format = StandardFormat;
        var softBreaksAreLineBreaks = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].AsSpan().Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line.ToString();
                continue;
            }
            if (section.Equals("[Script Info]", StringComparison.OrdinalIgnoreCase) && TryField(line, "WrapStyle", out var wrap))
                softBreaksAreLineBreaks = wrap.Trim().SequenceEqual("2");
            if (!section.Equals("[Events]", StringComparison.OrdinalIgnoreCase))
                continue;
            if (TryField(line, "Format", out var names))
                format = [.. names.ToString().Split(',', StringSplitOptions.TrimEntries)];
            else if (TryField(line, "Dialogue", out var fields))
                ReadDialogue(cues, i, fields, format, softBreaksAreLineBreaks);
        }
        return cues.ToDocument(SubtitleFormat.Ass);
    }

    private static void ReadDialogue(CueCollector cues, int lineIndex, ReadOnlySpan<char> fields, string[] format, bool softBreaksAreLineBreaks)
    {
        var start = Array.FindIndex(format, f => f.Equals("Start", StringComparison.OrdinalIgnoreCase));
        var end = Array.FindIndex(format, f => f.Equals("End", StringComparison.OrdinalIgnoreCase));
        var text = Array.FindIndex(format, f => f.Equals("Text", StringComparison.OrdinalIgnoreCase));
        if (start < 0 || end < 0 || text != format.Length - 1)
        {
            cues.Report(lineIndex, "the [Events] Format line needs Start, End and Text, with Text last");
            return;
        }

        // Text is last and may itself hold commas: split off only the fields before it.
        // The Format line comes from the file: a huge one must not overflow the stack.
        Span<Range> ranges = format.Length <= 32 ? stackalloc Range[format.Length] : new Range[format.Length];
        if (fields.Split(ranges, ',') < format.Length)
        {
            cues.ReportBadLine(lineIndex, $"a Dialogue needs {format.Length} fields", string.Concat("Dialogue:", fields));
            return;
        }
        if (!SubtitleClock.TryParse(fields[ranges[start]], out var startTime) || !SubtitleClock.TryParse(fields[ranges[end]], out var endTime))
        {
            cues.ReportBadLine(lineIndex, "bad Start or End time", string.Concat("Dialogue:", fields));
            return;
        }
        var plain = AssText.ToPlain(fields[ranges[text]], softBreaksAreLineBreaks);
        if (plain.Length > 0 || endTime < startTime)
            cues.Add(lineIndex, startTime, endTime, plain);
    }

    /// <summary>Reads <c>Key: value</c>.</summary>
    private static bool TryField(ReadOnlySpan<char> line, string key, out ReadOnlySpan<char> value)
    {
        value = default;
        if (!line.StartsWith(key, StringComparison.OrdinalIgnoreCase) || line.Length == key.Length || line[key.Length] != ':')
            return false;
        value = line[(key.Length + 1)..];
        return true;
    }
}
