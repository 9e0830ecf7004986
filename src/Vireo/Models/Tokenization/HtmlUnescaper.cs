using System.Globalization;
using System.Text;

namespace Vireo.Models.Tokenization;

/// <summary>
/// Python's <c>html.unescape</c>: HTML5 named references (also the legacy ones without a semicolon, matched
/// by longest prefix), decimal and hexadecimal references with HTML5's replacements for invalid numbers.
/// </summary>
internal static class HtmlUnescaper
{
    private const int MaxNameLength = 32;

    // HTML5 reads references to 0x80..0x9F as Windows-1252 (the unassigned five stay as they are).
    private static readonly ushort[] Windows1252 =
    [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ];

    private static readonly Lazy<Dictionary<string, string>> Entities = new(LoadEntities);

    public static string Unescape(string text)
    {
        var amp = text.IndexOf('&', StringComparison.Ordinal);
        if (amp < 0)
            return text;
        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, amp);
        var i = amp;
        while (i < text.Length)
        {
            if (text[i] != '&')
            {
                builder.Append(text[i++]);
                continue;
            }
            var consumed = text.Length > i + 1 && text[i + 1] == '#'
                ? Numeric(text, i + 2, builder)
                : Named(text, i + 1, builder);
            if (consumed == 0)
                builder.Append('&');
            i += 1 + consumed;
        }
        return builder.ToString();
    }

    // After "&#": digits or x/X + hex digits, then an optional ';'. Returns the characters used after '&'.
    private static int Numeric(string text, int start, StringBuilder builder)
    {
        var hex = start < text.Length && (text[start] == 'x' || text[start] == 'X');
        var digitsStart = hex ? start + 1 : start;
        var end = digitsStart;
        long value = 0;
        while (end < text.Length && (hex ? char.IsAsciiHexDigit(text[end]) : char.IsAsciiDigit(text[end])))
        {
            value = Math.Min(value * (hex ? 16 : 10) + HexValue(text[end]), 0x110000);
            end++;
        }
        if (end == digitsStart)
            return 0;
        if (end < text.Length && text[end] == ';')
            end++;
        AppendCodePoint((int)value, builder);
        return end - start + 1;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static void AppendCodePoint(int value, StringBuilder builder)
    {
        if (value == 0)
            builder.Append('\uFFFD');
        else if (value == 0x0D)
            builder.Append('\r');
        else if (value is >= 0x80 and <= 0x9F)
            builder.Append((char)Windows1252[value - 0x80]);
        else if (value is >= 0xD800 and <= 0xDFFF or > 0x10FFFF)
            builder.Append('\uFFFD');
        else if (!IsDroppedCodePoint(value))
            builder.Append(char.ConvertFromUtf32(value));
    }

    // Control characters and noncharacters that html.unescape removes.
    private static bool IsDroppedCodePoint(int value) =>
        value is >= 0x01 and <= 0x08 or 0x0B or >= 0x0E and <= 0x1F or >= 0x7F and <= 0x9F or >= 0xFDD0 and <= 0xFDEF
        || (value & 0xFFFE) == 0xFFFE;

    // After "&": up to 32 name characters and an optional ';'. Returns the characters used after '&'.
    private static int Named(string text, int start, StringBuilder builder)
    {
        var end = start;
        while (end < text.Length && end - start < MaxNameLength && text[end] is not ('\t' or '\n' or '\f' or ' ' or '<' or '&' or '#' or ';'))
            end++;
        if (end == start)
            return 0;
        if (end < text.Length && text[end] == ';')
            end++;
        var name = text[start..end];
        var entities = Entities.Value;
        if (entities.TryGetValue(name, out var value))
        {
            builder.Append(value);
        }
        else
        {
            // The longest prefix that is a legacy name (no semicolon), the rest kept as written.
            var prefix = name.Length - 1;
            while (prefix > 1 && !entities.TryGetValue(name[..prefix], out value))
                prefix--;
            if (prefix > 1)
                builder.Append(value).Append(name, prefix, name.Length - prefix);
            else
                builder.Append('&').Append(name);
        }
        return end - start;
    }

    private static Dictionary<string, string> LoadEntities()
    {
        var entities = new Dictionary<string, string>(2300, StringComparer.Ordinal);
        foreach (var line in EmbeddedTable.Lines("html5-entities.txt"))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var value = new StringBuilder(2);
            foreach (var hex in line[(tab + 1)..].Split(' '))
                value.Append(char.ConvertFromUtf32(int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            entities[line[..tab]] = value.ToString();
        }
        return entities;
    }
}
