using System.Globalization;
using System.Text;

namespace Vireo.Models.Tokenization;

/// <summary>
/// CLIP's pre-tokenization, the pattern
/// <c>&lt;\|startoftext\|&gt;|&lt;\|endoftext\|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>
/// (case-insensitive) applied as Python's <c>findall</c>: by code point, so letters outside the Basic
/// Multilingual Plane count as letters (a .NET regex would see their two surrogates as symbols).
/// </summary>
internal static class ClipPreTokenizer
{
    private enum Kind
    {
        Space,
        Letter,
        Number,
        Other,
    }

    /// <summary>Appends the (start, length) of each piece of <paramref name="text"/> to <paramref name="pieces"/>.</summary>
    public static void Split(ReadOnlySpan<char> text, List<(int Start, int Length)> pieces)
    {
        var i = 0;
        while (i < text.Length)
        {
            var kind = Classify(text[i..], out var width);
            if (kind == Kind.Space)
            {
                i += width;
                continue;
            }
            var length = SpecialOrContraction(text[i..]);
            if (length == 0)
            {
                length = width;
                if (kind != Kind.Number)
                {
                    while (i + length < text.Length && Classify(text[(i + length)..], out var next) == kind)
                        length += next;
                }
            }
            pieces.Add((i, length));
            i += length;
        }
    }

    private static int SpecialOrContraction(ReadOnlySpan<char> rest)
    {
        if (rest[0] == '<')
        {
            if (rest.StartsWith(ClipVocabulary.StartOfText, StringComparison.OrdinalIgnoreCase))
                return ClipVocabulary.StartOfText.Length;
            if (rest.StartsWith(ClipVocabulary.EndOfText, StringComparison.OrdinalIgnoreCase))
                return ClipVocabulary.EndOfText.Length;
            return 0;
        }
        if (rest[0] != '\'' || rest.Length < 2)
            return 0;
        switch (char.ToLowerInvariant(rest[1]))
        {
            case 's' or '\u017F' or 't' or 'm' or 'd':
                return 2;
            case 'r' or 'v' when rest.Length > 2 && char.ToLowerInvariant(rest[2]) == 'e':
                return 3;
            case 'l' when rest.Length > 2 && char.ToLowerInvariant(rest[2]) == 'l':
                return 3;
            default:
                return 0;
        }
    }

    private static Kind Classify(ReadOnlySpan<char> rest, out int width)
    {
        var c = rest[0];
        if (c < 0x80)
        {
            width = 1;
            return char.IsAsciiLetter(c) ? Kind.Letter : char.IsAsciiDigit(c) ? Kind.Number : PythonText.IsSpace(c) ? Kind.Space : Kind.Other;
        }
        Rune.DecodeFromUtf16(rest, out var rune, out width);
        if (PythonText.IsSpace(c))
            return Kind.Space;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Kind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Kind.Number,
            _ => Kind.Other,
        };
    }
}
