namespace Vireo.Media.PerClip;

/// <summary>
/// Tells which decoded frame FFmpeg's <c>fps</c> filter sent out for each output slot: the filter gives slot k the
/// last input frame whose timestamp, rescaled to slots and rounded to nearest (halves away from zero), is at most k
/// (so with one frame per 2-s clip, the last frame before k·2 + 1 s), and repeats a frame across a gap. The filter
/// itself picks the frames; this only recovers their times, which it replaces by slot numbers.
/// </summary>
internal sealed class FpsSlotClock(FrameRate rate)
{
    private readonly Queue<long> _inputTicks = new();
    private long _timeBaseNumerator;
    private long _timeBaseDenominator;
    private long? _current;

    /// <summary>The input frames' time base (that of the filter before fps).</summary>
    public void SetInputTimeBase(long numerator, long denominator) => (_timeBaseNumerator, _timeBaseDenominator) = (numerator, denominator);

    /// <summary>A decoded frame reached the filter, at <paramref name="ticks"/> of the input time base.</summary>
    public void AddInput(long ticks) => _inputTicks.Enqueue(ticks);

    /// <summary>The input time in seconds of the frame sent out for <paramref name="slot"/>; NaN when unknown.</summary>
    public double SourceTime(long slot)
    {
        while (_inputTicks.Count > 0 && SlotOf(_inputTicks.Peek()) <= slot)
            _current = _inputTicks.Dequeue();
        return _current is { } ticks && _timeBaseDenominator > 0
            ? (double)ticks * _timeBaseNumerator / _timeBaseDenominator
            : double.NaN;
    }

    /// <summary>ticks · time base · rate, rounded to nearest with halves away from zero (FFmpeg's default for fps).</summary>
    internal long SlotOf(long ticks)
    {
        if (_timeBaseDenominator == 0)
            return long.MinValue;
        var numerator = (Int128)ticks * _timeBaseNumerator * rate.Numerator;
        var denominator = (Int128)_timeBaseDenominator * rate.Denominator;
        var half = denominator / 2;
        return (long)(numerator >= 0 ? (numerator + half) / denominator : -((-numerator + half) / denominator));
    }
}
