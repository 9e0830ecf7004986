using System.Globalization;

namespace Vireo.TimedText.Subtitles;

/// <summary>Writes timed text entries as a SubRip or WebVTT file, in the order given.</summary>
public static class SubtitleWriter
{
    /// <summary>SubRip: numbered cues, <c>HH:MM:SS,mmm</c> times.</summary>
    public static void WriteSrt(TextWriter output, IEnumerable<TimedTextEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(entries);
        var number = 0;
        foreach (var entry in entries)
        {
            output.Write(string.Create(CultureInfo.InvariantCulture, $"{++number}\n{Clock(entry.Start, ',')} --> {Clock(entry.End, ',')}\n"));
            output.Write(entry.Text);
            output.Write("\n\n");
        }
    }

    /// <summary>WebVTT: the header, then cues with <c>HH:MM:SS.mmm</c> times; '&amp;', '&lt;' and '&gt;' escaped as the format requires.</summary>
    public static void WriteVtt(TextWriter output, IEnumerable<TimedTextEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(entries);
        output.Write("WEBVTT\n\n");
        foreach (var entry in entries)
        {
            output.Write($"{Clock(entry.Start, '.')} --> {Clock(entry.End, '.')}\n");
            output.Write(entry.Text.Replace("&", "&amp;", StringComparison.Ordinal)
                .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal));
            output.Write("\n\n");
        }
    }

    /// <summary>"01:02:03,456": whole milliseconds, at least two digits of hours.</summary>
    internal static string Clock(double seconds, char decimalSeparator)
    {
        var milliseconds = (long)Math.Round(Math.Max(0, seconds) * 1000, MidpointRounding.AwayFromZero);
        return string.Create(CultureInfo.InvariantCulture,
            $"{milliseconds / 3_600_000:00}:{milliseconds / 60_000 % 60:00}:{milliseconds / 1000 % 60:00}{decimalSeparator}{milliseconds % 1000:000}");
    }
}
