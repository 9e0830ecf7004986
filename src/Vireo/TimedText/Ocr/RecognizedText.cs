namespace Vireo.TimedText.Ocr;

/// <summary>The text read on one frame: lines joined with '\n', and the mean confidence (0..1) of its words.</summary>
internal sealed record RecognizedText(string Text, double Confidence, int WordCount)
{
    public static readonly RecognizedText None = new("", 0, 0);

    public bool IsEmpty => WordCount == 0;

    /// <summary>
    /// Keeps the words at or above <paramref name="minConfidence"/> (0..100) and joins them into lines, top to bottom: a
    /// word belongs to the line whose vertical band holds its middle, and a line's words read left to right. Tesseract's
    /// own line numbers are not used: in sparse mode it splits one visual line into blocks differently from frame to
    /// frame, which would make the same caption read as different text.
    /// </summary>
    public static RecognizedText FromWords(IEnumerable<OcrWord> words, double minConfidence)
    {
        var kept = words.Where(w => w.Confidence >= minConfidence).OrderBy(w => w.Top).ToList();
        if (kept.Count == 0)
            return None;
        var lines = new List<(int Top, int Bottom, List<OcrWord> Words)>();
        foreach (var word in kept)
        {
            var middle = word.Top + word.Height / 2;
            var index = lines.FindIndex(line => middle >= line.Top && middle <= line.Bottom);
            if (index < 0)
                lines.Add((word.Top, word.Top + word.Height, [word]));
            else
                lines[index] = (lines[index].Top, Math.Max(lines[index].Bottom, word.Top + word.Height), [.. lines[index].Words, word]);
        }
        var text = lines.Select(line => string.Join(' ', line.Words.OrderBy(w => w.Left).Select(w => w.Text)));
        return new RecognizedText(string.Join('\n', text), kept.Average(w => w.Confidence) / 100, kept.Count);
    }
}
