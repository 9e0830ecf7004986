using System.Text;

namespace Vireo.TimedText.Ocr;

/// <summary>
/// Merges the text of consecutive samples into timed spans: the same text from one sample to the next extends the open
/// span, other text closes it and opens the next. "The same" tolerates OCR noise: over moving footage the same caption
/// is read with a letter different from frame to frame, so two normalised readings with the same digits whose edit
/// distance is at most <see cref="Tolerance"/> of the longer one are one text, and the span keeps its most confident
/// reading. Digits must agree: "Slide 3 of 10" and "Slide 4 of 10", a clock or a score, are different texts. A span
/// runs from the first sample that showed the text to the last one plus the sampling interval (the text is assumed to
/// stay until the next sample says otherwise).
/// </summary>
internal sealed class OcrSpanBuilder(double sampleInterval, string? language)
{
    private const string Source = "tesseract";

    /// <summary>The share of characters that may differ between two readings of one text.</summary>
    internal const double Tolerance = 0.2;

    private readonly List<TimedTextEntry> _closed = [];
    private RecognizedText? _open;
    private string _openKey = "";
    private double _openStart;
    private double _openLastSeen;
    private double _confidenceSum;
    private int _reads;

    public IReadOnlyList<TimedTextEntry> Entries => _closed;

    /// <summary>A sample that was read: <paramref name="text"/> seen at <paramref name="time"/>.</summary>
    public void Read(double time, RecognizedText text)
    {
        var key = Normalise(text.Text);
        if (_open is not null && key.Length > 0 && SameText(key, _openKey))
        {
            _openLastSeen = time;
            _confidenceSum += text.Confidence;
            _reads++;
            if (text.Confidence > _open.Confidence)
                (_open, _openKey) = (text, key);
            return;
        }
        Close(time);
        if (key.Length == 0)
            return;
        (_open, _openKey, _openStart, _openLastSeen, _confidenceSum, _reads) = (text, key, time, time, text.Confidence, 1);
    }

    /// <summary>A sample whose picture did not change since the last read one: whatever text is open is still there.</summary>
    public void Unchanged(double time)
    {
        if (_open is not null)
            _openLastSeen = time;
    }

    /// <summary>Closes the open span at the end of the video (<paramref name="duration"/> seconds; it never ends later).</summary>
    public void Finish(double duration) => Close(duration);

    /// <summary>Closes the open span: it ends one interval after it was last seen, and no later than <paramref name="limit"/> (the sample that changed it, or the end of the video).</summary>
    private void Close(double limit)
    {
        if (_open is null)
            return;
        var end = Math.Min(_openLastSeen + sampleInterval, limit);
        _closed.Add(new TimedTextEntry(TextChannel.Ocr, language, _openStart, Math.Max(end, _openStart), _open.Text, _confidenceSum / _reads, Source));
        _open = null;
        _openKey = "";
    }

    /// <summary>True when two normalised readings have the same digits and differ in at most <see cref="Tolerance"/> of the longer one's characters.</summary>
    internal static bool SameText(string a, string b)
    {
        if (a == b)
            return true;
        if (!SameDigits(a, b))
            return false;
        var longer = Math.Max(a.Length, b.Length);
        var allowed = (int)(Tolerance * longer);
        return Math.Abs(a.Length - b.Length) <= allowed && EditDistance(a, b, allowed) <= allowed;
    }

    private static bool SameDigits(string a, string b)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < a.Length && !char.IsDigit(a[i]))
                i++;
            while (j < b.Length && !char.IsDigit(b[j]))
                j++;
            if (i == a.Length || j == b.Length)
                return i == a.Length && j == b.Length;
            if (a[i++] != b[j++])
                return false;
        }
    }

    /// <summary>Levenshtein distance, stopped early once every path exceeds <paramref name="limit"/> (then limit + 1).</summary>
    private static int EditDistance(string a, string b, int limit)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var best = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
                best = Math.Min(best, current[j]);
            }
            if (best > limit)
                return limit + 1;
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>Case, punctuation and spacing removed: what must be equal for two readings to be the same text.</summary>
    internal static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && builder.Length > 0)
                    builder.Append(' ');
                builder.Append(char.ToLowerInvariant(c));
                pendingSpace = false;
            }
            else
            {
                pendingSpace = true;
            }
        }
        return builder.ToString();
    }
}
