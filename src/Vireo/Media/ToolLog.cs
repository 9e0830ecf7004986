namespace Vireo.Media;

/// <summary>
/// FFmpeg's standard error, classified by log level. Run with <c>-loglevel level+...</c>, every line carries
/// its level in brackets ("[error]", "[warning]", ...). Only a bounded tail of each kind is kept, so a
/// damaged file that makes FFmpeg print a million errors cannot exhaust memory.
/// </summary>
internal sealed class ToolLog
{
    private const int KeptLines = 24;
    private readonly Lock _gate = new();
    private readonly Queue<string> _errors = new();
    private readonly Queue<string> _other = new();

    public int ErrorCount { get; private set; }

    /// <summary>How many frames the decoder output with damage it concealed (see <see cref="IsConcealedDamage"/>).</summary>
    public int ConcealedCount { get; private set; }

    /// <summary>
    /// True once FFmpeg described its input ("Input #0, ..."): it ran and opened the file. A run that fails without it
    /// never got to the file (a broken or wrong executable), which says nothing about the video.
    /// </summary>
    public bool OpenedInput { get; private set; }

    public void Add(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
            return;
        lock (_gate)
        {
            if (!OpenedInput && line.Contains("Input #", StringComparison.Ordinal))
                OpenedInput = true;
            if (IsError(line))
            {
                ErrorCount++;
                Enqueue(_errors, line);
            }
            else if (IsConcealedDamage(line))
            {
                ConcealedCount++;
                Enqueue(_errors, line);
            }
            else if (!line.Contains("[info]", StringComparison.Ordinal) && !line.Contains("[verbose]", StringComparison.Ordinal))
            {
                Enqueue(_other, line);
            }
        }
    }

    /// <summary>The last error lines, or the last other non-informational lines when there was no error.</summary>
    public string Summary()
    {
        lock (_gate)
        {
            var lines = _errors.Count > 0 ? _errors : _other;
            return string.Join(" | ", lines.Select(Clean).Where(l => l.Length > 0).Distinct().TakeLast(6));
        }
    }

    public bool Contains(string text)
    {
        lock (_gate)
            return _errors.Any(l => l.Contains(text, StringComparison.OrdinalIgnoreCase))
                || _other.Any(l => l.Contains(text, StringComparison.OrdinalIgnoreCase));
    }

    internal static bool IsError(string line) =>
        line.Contains("[error]", StringComparison.Ordinal)
        || line.Contains("[fatal]", StringComparison.Ordinal)
        || line.Contains("[panic]", StringComparison.Ordinal);

    /// <summary>
    /// FFmpeg's warning that a decoded frame carries damage the decoder concealed: random bytes in a picture's slice data
    /// often decode without any error-level line, and this is then the only sign of them. (Audio decoders print it too;
    /// only the video sampler counts it as damage.)
    /// </summary>
    internal static bool IsConcealedDamage(string line) => line.Contains("corrupt decoded frame", StringComparison.Ordinal);

    /// <summary>Strips FFmpeg's "[context @ 0x...]" and "[level]" prefixes.</summary>
    internal static string Clean(string line)
    {
        var text = line.AsSpan().Trim();
        while (text.Length > 0 && text[0] == '[')
        {
            var close = text.IndexOf(']');
            if (close < 0)
                break;
            text = text[(close + 1)..].TrimStart();
        }
        return text.ToString();
    }

    private static void Enqueue(Queue<string> queue, string line)
    {
        if (queue.Count == KeptLines)
            queue.Dequeue();
        queue.Enqueue(line);
    }

    /// <summary>
    /// <paramref name="text"/> as FFmpeg's log prints it: av_log replaces the control characters 0x00–0x07 and
    /// 0x0E–0x1F with '?', so a file name with an escape sequence appears changed in the log.
    /// </summary>
    public static string AsLogged(string text) =>
        string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = source[i] is < '\x08' or (> '\x0D' and < '\x20') ? '?' : source[i];
        });
}
