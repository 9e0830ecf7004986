namespace Vireo.TimedText.Ocr;

/// <summary>The text read on one frame: lines joined with '\n', and the mean confidence (0..1) of its words.</summary>
internal sealed record RecognizedText(string Text, double Confidence, int WordCount)
{
    public static readonly RecognizedText None = new("", 0, 0);

    public bool IsEmpty => WordCount == 0;

    /// <summary>
    /// Keeps the words at or above <paramref name="minConfidence"/> (0..100) and joins them into lines: the words of
    /// one Tesseract line left to right, lines top to bottom.
    /// </summary>
    public static RecognizedText FromWords(IEnumerable<OcrWord> words, double minConfidence)
    {
        var kept = words.Where(w => w.Confidence >= minConfidence).ToList();
        if (kept.Count == 0)
            return None;
        var lines = kept
            .GroupBy(w => (w.Block, w.Paragraph, w.Line))
            .Select(line => line.OrderBy(w => w.Left).ToList())
            .OrderBy(line => line.Min(w => w.Top)).ThenBy(line => line[0].Left)
            .Select(line => string.Join(' ', line.Select(w => w.Text)));
        return new RecognizedText(string.Join('\n', lines), kept.Average(w => w.Confidence) / 100, kept.Count);
    }
}
