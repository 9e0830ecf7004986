using System.Globalization;

namespace Vireo.Media.PerClip;

/// <summary>What one line of FFmpeg's showinfo filter says: a time base (at configuration) or a frame's pts.</summary>
internal readonly record struct ShowInfoLine(string Instance, long? Pts, (long Numerator, long Denominator)? TimeBase)
{
    private const string ConfigPrefix = "config in time_base:";

    /// <summary>Reads a showinfo line, naming its instance ("Parsed_showinfo_0"); false for any other line.</summary>
    public static bool TryParse(string line, out ShowInfoLine parsed)
    {
        parsed = default;
        var start = line.IndexOf("[Parsed_showinfo_", StringComparison.Ordinal);
        if (start < 0)
            return false;
        var end = line.IndexOf(" @ ", start, StringComparison.Ordinal);
        if (end < 0)
            return false;
        var instance = line[(start + 1)..end];
        var text = line.AsSpan(end);
        var config = text.IndexOf(ConfigPrefix, StringComparison.Ordinal);
        if (config >= 0)
        {
            var token = Token(text[(config + ConfigPrefix.Length)..]).TrimEnd(',');
            var slash = token.IndexOf('/');
            if (slash > 0
                && long.TryParse(token[..slash], NumberStyles.Integer, CultureInfo.InvariantCulture, out var numerator)
                && long.TryParse(token[(slash + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var denominator)
                && numerator > 0 && denominator > 0)
            {
                parsed = new ShowInfoLine(instance, null, (numerator, denominator));
                return true;
            }
            return false;
        }
        var pts = text.IndexOf(" pts:", StringComparison.Ordinal);
        if (text.IndexOf(" n:", StringComparison.Ordinal) < 0 || pts < 0)
            return false;
        var value = Token(text[(pts + " pts:".Length)..]);
        parsed = new ShowInfoLine(instance, long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) ? ticks : null, null);
        return true;
    }

    private static ReadOnlySpan<char> Token(ReadOnlySpan<char> text)
    {
        text = text.TrimStart();
        var end = text.IndexOfAny(' ', '\t');
        return end < 0 ? text : text[..end];
    }
}
