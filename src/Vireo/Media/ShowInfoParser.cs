using System.Globalization;

namespace Vireo.Media;

/// <summary>
/// Reads frame timestamps from the lines FFmpeg's showinfo filter logs. The time is computed from the
/// integer <c>pts</c> and the filter's time base (its <c>pts_time</c> has only six significant digits,
/// 0.1 s off after an hour), and the input offset FFmpeg subtracted is added back tick-exactly.
/// </summary>
internal sealed class ShowInfoParser
{
    private const string Marker = "Parsed_showinfo";
    private const string ConfigPrefix = "config in time_base:";
    private readonly long _inputOffsetMicroseconds;
    private readonly long _startMicroseconds;
    private long _timeBaseNumerator;
    private long _timeBaseDenominator;

    /// <param name="seekMicroseconds">The input seek (-ss) of the run.</param>
    /// <param name="startTimeMicroseconds">The container's start time, which FFmpeg also subtracts.</param>
    public ShowInfoParser(long seekMicroseconds = 0, long startTimeMicroseconds = 0)
    {
        _inputOffsetMicroseconds = seekMicroseconds + startTimeMicroseconds;
        _startMicroseconds = startTimeMicroseconds;
    }

    /// <summary>
    /// Returns true for a frame line. <paramref name="seconds"/> is the frame's time from the start of the
    /// video, or NaN when the frame had no timestamp.
    /// </summary>
    public bool TryParseFrame(string line, out double seconds)
    {
        seconds = double.NaN;
        if (!line.Contains(Marker, StringComparison.Ordinal))
            return false;
        var span = line.AsSpan();
        var config = span.IndexOf(ConfigPrefix, StringComparison.Ordinal);
        if (config >= 0)
        {
            ParseTimeBase(span[(config + ConfigPrefix.Length)..]);
            return false;
        }
        var n = span.IndexOf(" n:", StringComparison.Ordinal);
        var pts = span.IndexOf(" pts:", StringComparison.Ordinal);
        if (n < 0 || pts < n)
            return false;
        var value = Token(span[(pts + " pts:".Length)..]);
        if (_timeBaseDenominator > 0 && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks))
        {
            // FFmpeg shifted every timestamp by the input offset rounded to ticks (av_rescale_q, nearest);
            // undo exactly that, then measure from the container's start.
            var absoluteTicks = ticks + ToTicks(_inputOffsetMicroseconds) - ToTicks(_startMicroseconds);
            seconds = (double)absoluteTicks * _timeBaseNumerator / _timeBaseDenominator;
            return true;
        }
        var ptsTime = span.IndexOf("pts_time:", StringComparison.Ordinal);
        if (ptsTime >= 0 && double.TryParse(Token(span[(ptsTime + "pts_time:".Length)..]), NumberStyles.Float, CultureInfo.InvariantCulture, out var t))
            seconds = t + (_inputOffsetMicroseconds - _startMicroseconds) / 1e6;
        return true;
    }

    /// <summary>Microseconds to ticks of the time base, rounded to nearest with halves away from zero.</summary>
    private long ToTicks(long microseconds)
    {
        if (microseconds == 0)
            return 0;
        var numerator = (Int128)microseconds * _timeBaseDenominator;
        var denominator = (Int128)_timeBaseNumerator * 1_000_000;
        var half = denominator / 2;
        var rounded = microseconds >= 0 ? (numerator + half) / denominator : -((-numerator + half) / denominator);
        return (long)rounded;
    }

    private void ParseTimeBase(ReadOnlySpan<char> text)
    {
        var token = Token(text).TrimEnd(',');
        var slash = token.IndexOf('/');
        if (slash > 0
            && long.TryParse(token[..slash], NumberStyles.Integer, CultureInfo.InvariantCulture, out var numerator)
            && long.TryParse(token[(slash + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var denominator)
            && numerator > 0 && denominator > 0)
        {
            _timeBaseNumerator = numerator;
            _timeBaseDenominator = denominator;
        }
    }

    private static ReadOnlySpan<char> Token(ReadOnlySpan<char> text)
    {
        text = text.TrimStart();
        var end = text.IndexOfAny(' ', '\t');
        return end < 0 ? text : text[..end];
    }
}
