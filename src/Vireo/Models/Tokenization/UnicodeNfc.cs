using System.Globalization;
using System.Text;

namespace Vireo.Models.Tokenization;

/// <summary>
/// Unicode normalization form C, from the canonical data embedded in Data/nfc.txt. .NET's own
/// <see cref="string.Normalize()"/> needs ICU and leaves text unchanged when the process runs with invariant
/// globalization (as the vireo command does), so the tokenizer cannot rely on it.
/// </summary>
internal static class UnicodeNfc
{
    private const int HangulBase = 0xAC00, HangulCount = 11172, LeadBase = 0x1100, VowelBase = 0x1161, TrailBase = 0x11A7;
    private const int VowelCount = 21, TrailCount = 28;

    private static readonly Lazy<Tables> Data = new(Tables.Load);

    public static string Normalize(string text)
    {
        var firstSuspect = 0;
        while (firstSuspect < text.Length && text[firstSuspect] < '\u0300')
            firstSuspect++;
        if (firstSuspect == text.Length)
            return text;

        var tables = Data.Value;
        var points = new List<int>(text.Length + 8);
        for (var i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed);
            Decompose(rune.Value, tables, points);
            i += consumed;
        }
        OrderCombiningMarks(points, tables);
        Compose(points, tables);

        var builder = new StringBuilder(text.Length);
        foreach (var point in points)
            builder.Append(char.ConvertFromUtf32(point));
        var result = builder.ToString();
        return result == text ? text : result;
    }

    private static void Decompose(int point, Tables tables, List<int> output)
    {
        if (point is >= HangulBase and < HangulBase + HangulCount)
        {
            var index = point - HangulBase;
            output.Add(LeadBase + index / (VowelCount * TrailCount));
            output.Add(VowelBase + index % (VowelCount * TrailCount) / TrailCount);
            if (index % TrailCount != 0)
                output.Add(TrailBase + index % TrailCount);
        }
        else if (tables.Decompositions.TryGetValue(point, out var parts))
        {
            foreach (var part in parts)
                Decompose(part, tables, output);
        }
        else
        {
            output.Add(point);
        }
    }

    // Canonical ordering: a stable sort by combining class within each run of non-starters.
    private static void OrderCombiningMarks(List<int> points, Tables tables)
    {
        for (var i = 1; i < points.Count; i++)
        {
            var ccc = tables.CombiningClass(points[i]);
            if (ccc == 0)
                continue;
            for (var j = i; j > 0 && tables.CombiningClass(points[j - 1]) > ccc; j--)
                (points[j], points[j - 1]) = (points[j - 1], points[j]);
        }
    }

    private static void Compose(List<int> points, Tables tables)
    {
        var starter = -1;
        var lastClass = 0;
        var written = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            var ccc = tables.CombiningClass(point);
            var adjacent = starter == written - 1;
            if (starter >= 0 && (adjacent || (lastClass != 0 && lastClass < ccc))
                && TryCompose(points[starter], point, tables, out var composite))
            {
                points[starter] = composite;
                continue;
            }
            if (ccc == 0)
                starter = written;
            lastClass = ccc;
            points[written++] = point;
        }
        points.RemoveRange(written, points.Count - written);
    }

    private static bool TryCompose(int first, int second, Tables tables, out int composite)
    {
        if (first is >= LeadBase and < LeadBase + 19 && second is >= VowelBase and < VowelBase + VowelCount)
        {
            composite = HangulBase + ((first - LeadBase) * VowelCount + second - VowelBase) * TrailCount;
            return true;
        }
        if (first is >= HangulBase and < HangulBase + HangulCount && (first - HangulBase) % TrailCount == 0
            && second is > TrailBase and < TrailBase + TrailCount)
        {
            composite = first + second - TrailBase;
            return true;
        }
        return tables.Composites.TryGetValue(((long)first << 21) | (uint)second, out composite);
    }

    private sealed class Tables
    {
        public Dictionary<int, int[]> Decompositions { get; } = new(2100);

        public Dictionary<long, int> Composites { get; } = new(1000);

        private Dictionary<int, byte> CombiningClasses { get; } = new(1000);

        public int CombiningClass(int point) => point < 0x300 ? 0 : CombiningClasses.GetValueOrDefault(point);

        public static Tables Load()
        {
            var tables = new Tables();
            foreach (var line in EmbeddedTable.Lines("nfc.txt"))
            {
                var fields = line.Split(' ');
                switch (fields[0])
                {
                    case "D":
                        tables.Decompositions[Hex(fields[1])] = fields[2..].Select(Hex).ToArray();
                        break;
                    case "P":
                        tables.Composites[((long)Hex(fields[1]) << 21) | (uint)Hex(fields[2])] = Hex(fields[3]);
                        break;
                    case "C":
                        tables.CombiningClasses[Hex(fields[1])] = byte.Parse(fields[2], CultureInfo.InvariantCulture);
                        break;
                }
            }
            return tables;
        }

        private static int Hex(string field) => int.Parse(field, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
