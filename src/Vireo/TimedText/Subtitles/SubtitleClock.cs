namespace Vireo.TimedText.Subtitles;

/// <summary>
/// Reads the clock times of subtitle formats: <c>[h:]mm:ss[,.]fff</c>. Hours may have any number of digits (SubRip and
/// WebVTT allow more than 99) or be left out (WebVTT); minutes and seconds are below 60; the fraction has 1 to 3 digits
/// (ASS writes centiseconds, SubRip milliseconds after a comma, some tools after a period).
/// </summary>
internal static class SubtitleClock
{
    public static bool TryParse(ReadOnlySpan<char> text, out double seconds)
    {
        seconds = 0;
        text = text.Trim();
        Span<long> fields = stackalloc long[3];
        var count = 0;
        while (true)
        {
            var digits = LeadingDigits(text);
            if (digits == 0 || digits > 9 || count == 3)
                return false;
            fields[count++] = long.Parse(text[..digits], System.Globalization.CultureInfo.InvariantCulture);
            text = text[digits..];
            if (text.IsEmpty || text[0] != ':')
                break;
            text = text[1..];
        }
        if (count < 2 || text.IsEmpty || text[0] is not ('.' or ','))
            return false;
        var fraction = text[1..];
        if (fraction.Length is 0 or > 3 || LeadingDigits(fraction) != fraction.Length)
            return false;

        var (hours, minutes, wholeSeconds) = count == 3 ? (fields[0], fields[1], fields[2]) : (0L, fields[0], fields[1]);
        if (minutes >= 60 || wholeSeconds >= 60)
            return false;
        var milliseconds = int.Parse(fraction, System.Globalization.CultureInfo.InvariantCulture) * (fraction.Length switch { 1 => 100, 2 => 10, _ => 1 });
        seconds = hours * 3600 + minutes * 60 + wholeSeconds + milliseconds / 1000.0;
        return true;
    }

    /// <summary>
    /// Reads a timing line <c>start --> end</c>; what follows the end time (WebVTT cue settings, SubRip's
    /// <c>X1:… Y2:…</c> coordinates) is ignored.
    /// </summary>
    public static bool TryParseTiming(ReadOnlySpan<char> line, out double start, out double end)
    {
        end = 0;
        var arrow = line.IndexOf(Arrow, StringComparison.Ordinal);
        if (arrow < 0 || !TryParse(line[..arrow], out start))
        {
            start = 0;
            return false;
        }
        var rest = line[(arrow + Arrow.Length)..].TrimStart();
        var space = rest.IndexOfAny(' ', '\t');
        return TryParse(space < 0 ? rest : rest[..space], out end);
    }

    /// <summary>The separator of a timing line.</summary>
    public const string Arrow = "-->";

    /// <summary>True when <paramref name="line"/> has the timing arrow: it opens a cue, well formed or not.</summary>
    public static bool IsTimingLine(ReadOnlySpan<char> line) => line.Contains(Arrow, StringComparison.Ordinal);

    private static int LeadingDigits(ReadOnlySpan<char> text)
    {
        var n = 0;
        while (n < text.Length && char.IsAsciiDigit(text[n]))
            n++;
        return n;
    }
}
