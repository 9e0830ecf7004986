using System.Globalization;
using System.Text;

namespace Vireo.Models.Tokenization;

/// <summary>
/// The character rules of Python's <c>str</c> that CLIP's text cleaning relies on, where .NET's differ:
/// <c>isspace</c> (which counts U+001C..U+001F), and <c>lower</c> (full case mapping: U+0130 becomes two code
/// points, and capital sigma becomes final sigma at the end of a word).
/// </summary>
internal static class PythonText
{
    /// <summary>Python's <c>str.isspace</c>, which is also what <c>re</c>'s <c>\s</c> matches.</summary>
    public static bool IsSpace(char c) => c switch
    {
        >= '\t' and <= '\r' => true,
        >= '\u001C' and <= ' ' => true,
        '\u0085' or '\u00A0' or '\u1680' or '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
        >= '\u2000' and <= '\u200A' => true,
        _ => false,
    };

    /// <summary><c>re.sub(r"\s+", " ", text).strip()</c>.</summary>
    public static string CollapseWhitespace(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsSpace(text[start]))
            start++;
        while (end > start && IsSpace(text[end - 1]))
            end--;
        var needed = false;
        for (var i = start; i < end && !needed; i++)
            needed = IsSpace(text[i]) && (text[i] != ' ' || IsSpace(text[i + 1]));
        if (!needed)
            return start == 0 && end == text.Length ? text : text[start..end];

        var builder = new StringBuilder(end - start);
        for (var i = start; i < end; i++)
        {
            if (!IsSpace(text[i]))
                builder.Append(text[i]);
            else if (!IsSpace(text[i - 1]))
                builder.Append(' ');
        }
        return builder.ToString();
    }

    /// <summary>Python's <c>str.lower()</c>.</summary>
    public static string Lower(string text)
    {
        var ascii = true;
        foreach (var c in text)
        {
            if (c >= 0x80)
            {
                ascii = false;
                break;
            }
        }
        if (ascii)
            return text.ToLowerInvariant();

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            if (rune.Value == 0x0130)
                builder.Append("i\u0307");
            else if (rune.Value == 0x03A3)
                builder.Append(IsFinalSigma(text, i) ? '\u03C2' : '\u03C3');
            else
                builder.Append(Rune.ToLowerInvariant(rune).ToString());
            i += consumed;
        }
        return builder.ToString();
    }

    // Final_Sigma: a cased letter before (skipping case-ignorables) and no cased letter after.
    private static bool IsFinalSigma(string text, int index)
    {
        var before = index;
        while (before > 0 && IsCaseIgnorable(text[before - 1]))
            before--;
        if (before == 0 || !IsCased(text[before - 1]))
            return false;
        var after = index + 1;
        while (after < text.Length && IsCaseIgnorable(text[after]))
            after++;
        return after == text.Length || !IsCased(text[after]);
    }

    private static bool IsCased(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter
        or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(char c) => c is '\'' or '.' or ':' or '^' or '`' or '\u00B7' or '\u0387'
            or '\u05F4' or '\u2018' or '\u2019' or '\u2024' or '\u2027' or '\uFE13' or '\uFE52' or '\uFE55' or '\uFF07' or '\uFF0E' or '\uFF1A'
        || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
}
