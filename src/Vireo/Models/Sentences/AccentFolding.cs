using System.Globalization;
using System.Text;

namespace Vireo.Models.Sentences;

/// <summary>
/// BERT's accent stripping: canonical decomposition (NFD) with the nonspacing marks dropped ("é" → "e", "Ǖ" → "U",
/// a lone combining mark → nothing). Vireo runs with invariant globalization, where <see cref="string.Normalize()"/>
/// does not decompose, so the decompositions come from a table generated from the Unicode data
/// (scripts/generate-accent-folding.py); Hangul syllables are decomposed by their algorithm.
/// </summary>
internal static class AccentFolding
{
    private static readonly Lazy<Dictionary<int, string>> Table = new(Load);

    /// <summary>Appends <paramref name="rune"/> with its accents stripped.</summary>
    public static void Append(StringBuilder target, Rune rune)
    {
        var value = rune.Value;
        if (value is >= 0xAC00 and <= 0xD7A3)
        {
            AppendHangul(target, value - 0xAC00);
            return;
        }
        if (value < 0xC0)
        {
            target.Append((char)value); // nothing below À decomposes canonically: the common case
            return;
        }
        if (Table.Value.TryGetValue(value, out var folded))
            target.Append(folded);
        else
            target.Append(rune.ToString());
    }

    /// <summary>A Hangul syllable's conjoining jamo (leading, vowel, optional trailing): none of them is a mark.</summary>
    private static void AppendHangul(StringBuilder target, int index)
    {
        target.Append((char)(0x1100 + (index / 588)));
        target.Append((char)(0x1161 + (index % 588 / 28)));
        if (index % 28 != 0)
            target.Append((char)(0x11A7 + (index % 28)));
    }

    private static Dictionary<int, string> Load()
    {
        using var stream = typeof(AccentFolding).Assembly.GetManifestResourceStream("Vireo.Sentences.accent-folding.txt")
            ?? throw new InvalidOperationException("the accent folding table is missing from the Vireo assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var table = new Dictionary<int, string>(4096);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var folded = new StringBuilder();
            foreach (var part in line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                folded.Append(char.ConvertFromUtf32(int.Parse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            table[int.Parse(line.AsSpan(0, tab), NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = folded.ToString();
        }
        return table;
    }
}
