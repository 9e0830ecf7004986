using System.Globalization;

namespace Vireo.TimedText.Ocr;

/// <summary>
/// Reads Tesseract's TSV output: a header, then one row per page, block, paragraph, line and word
/// (<c>level page_num block_num par_num line_num word_num left top width height conf text</c>); only word rows (level 5)
/// with text are kept.
/// </summary>
internal static class TesseractTsv
{
    private const int WordLevel = 5;
    private const int Columns = 12;

    public static List<OcrWord> ParseWords(string tsv)
    {
        var words = new List<OcrWord>();
        Span<Range> cells = stackalloc Range[Columns + 1];
        foreach (var row in tsv.AsSpan().EnumerateLines())
        {
            if (row.Split(cells, '\t') != Columns || !TryInt(row[cells[0]], out var level) || level != WordLevel)
                continue;
            var text = row[cells[11]].Trim();
            if (text.IsEmpty)
                continue;
            if (!TryInt(row[cells[2]], out var block) || !TryInt(row[cells[3]], out var paragraph) || !TryInt(row[cells[4]], out var line)
                || !TryInt(row[cells[6]], out var left) || !TryInt(row[cells[7]], out var top)
                || !TryInt(row[cells[8]], out var width) || !TryInt(row[cells[9]], out var height)
                || !double.TryParse(row[cells[10]], NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence))
                continue;
            words.Add(new OcrWord(block, paragraph, line, left, top, width, height, confidence, text.ToString()));
        }
        return words;
    }

    private static bool TryInt(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
