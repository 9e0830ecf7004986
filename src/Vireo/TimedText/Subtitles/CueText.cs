using System.Net;
using System.Text;

namespace Vireo.TimedText.Subtitles;

/// <summary>
/// Turns the text lines of a SubRip or WebVTT cue into plain text: tags (<c>&lt;i&gt;</c>, <c>&lt;font …&gt;</c>,
/// <c>&lt;v Speaker&gt;</c>, <c>&lt;c.class&gt;</c>, WebVTT's <c>&lt;00:01.500&gt;</c>) and the ASS override blocks some
/// SubRip files carry (<c>{\an8}</c>) are removed, character references decoded, each line trimmed, empty lines dropped
/// and the rest joined with '\n'.
/// </summary>
internal static class CueText
{
    public static string FromMarkupLines(IReadOnlyList<string> lines)
    {
        var text = new StringBuilder();
        var line = new StringBuilder();
        foreach (var raw in lines)
        {
            line.Clear();
            StripMarkup(raw, line);
            AppendLine(text, WebUtility.HtmlDecode(line.ToString()));
        }
        return text.ToString();
    }

    /// <summary>Appends <paramref name="line"/> trimmed (no-break spaces read as spaces), with a '\n' before it unless it is the first; empty lines are left out.</summary>
    public static void AppendLine(StringBuilder text, ReadOnlySpan<char> line)
    {
        var trimmed = line.Trim();
        if (trimmed.IsEmpty)
            return;
        if (text.Length > 0)
            text.Append('\n');
        foreach (var c in trimmed)
            text.Append(c == '\u00A0' ? ' ' : c);
    }

    private static void StripMarkup(ReadOnlySpan<char> line, StringBuilder output)
    {
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            var close = c switch
            {
                '<' when i + 1 < line.Length && (char.IsAsciiLetter(line[i + 1]) || char.IsAsciiDigit(line[i + 1]) || line[i + 1] == '/')
                    => line[i..].IndexOf('>'),
                '{' when i + 1 < line.Length && line[i + 1] == '\\' => line[i..].IndexOf('}'),
                _ => -1,
            };
            if (close > 0)
            {
                i += close + 1;
                continue;
            }
            output.Append(c);
            i++;
        }
    }
}
