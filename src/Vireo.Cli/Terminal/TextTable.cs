namespace Vireo.Cli.Terminal;

/// <summary>A plain text table with aligned columns (first column left-aligned, the others right-aligned).</summary>
internal static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = new int[header.Count];
        foreach (var row in all)
        {
            for (var c = 0; c < row.Count; c++)
                widths[c] = Math.Max(widths[c], row[c].Length);
        }
        for (var r = 0; r < all.Count; r++)
        {
            var cells = all[r].Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]));
            output.WriteLine(string.Join("  ", cells).TrimEnd());
            if (r == 0)
                output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
    }
}
