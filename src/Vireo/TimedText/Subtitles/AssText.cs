using System.Text;

namespace Vireo.TimedText.Subtitles;

/// <summary>
/// The plain text of an ASS/SSA dialogue: override blocks <c>{\b1\pos(10,20)}</c> (and brace comments) removed,
/// <c>\N</c> a line break, <c>\h</c> a space, <c>\n</c> a line break only under wrap style 2 (elsewhere renderers show a
/// space), and what is drawn in drawing mode (<c>{\p1}m 0 0 l 100 0 …{\p0}</c>) dropped: it is vector shapes, not words.
/// </summary>
internal static class AssText
{
    public static string ToPlain(ReadOnlySpan<char> text, bool softBreaksAreLineBreaks)
    {
        var plain = new StringBuilder(text.Length);
        var drawing = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '{' && text[i..].IndexOf('}') is var close and > 0)
            {
                drawing = DrawingMode(text.Slice(i + 1, close - 1), drawing);
                i += close + 1;
                continue;
            }
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is 'N' or 'n' or 'h')
            {
                if (!drawing)
                    plain.Append(text[i + 1] switch { 'N' => '\n', 'h' => ' ', _ => softBreaksAreLineBreaks ? '\n' : ' ' });
                i += 2;
                continue;
            }
            if (!drawing)
                plain.Append(c);
            i++;
        }

        var joined = new StringBuilder(plain.Length);
        foreach (var line in plain.ToString().AsSpan().EnumerateLines())
            CueText.AppendLine(joined, line);
        return joined.ToString();
    }

    /// <summary>The drawing mode after an override block: <c>\p1</c> (any scale above 0) starts drawing, <c>\p0</c> ends it; the last one wins.</summary>
    private static bool DrawingMode(ReadOnlySpan<char> block, bool drawing)
    {
        var at = 0;
        while (block[at..].IndexOf("\\p", StringComparison.Ordinal) is var found and >= 0)
        {
            var digits = at + found + 2;
            var n = digits;
            while (n < block.Length && char.IsAsciiDigit(block[n]))
                n++;
            if (n > digits) // \p<scale>, not \pos or \pbo
                drawing = block[digits..n].ContainsAnyExcept('0');
            at = digits;
        }
        return drawing;
    }
}
