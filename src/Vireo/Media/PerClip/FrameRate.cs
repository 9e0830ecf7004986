using System.Globalization;

namespace Vireo.Media.PerClip;

/// <summary>A frame rate as FFmpeg's <c>fps</c> filter takes it: an exact fraction of frames per second.</summary>
public readonly record struct FrameRate
{
    public FrameRate(long numerator, long denominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numerator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);
        var divisor = (long)System.Numerics.BigInteger.GreatestCommonDivisor(numerator, denominator);
        (Numerator, Denominator) = (numerator / divisor, denominator / divisor);
    }

    public long Numerator { get; }

    public long Denominator { get; }

    public double PerSecond => (double)Numerator / Denominator;

    /// <summary>Seconds between two output frames.</summary>
    public double Interval => (double)Denominator / Numerator;

    /// <summary>
    /// One frame every <paramref name="seconds"/>, as the fraction FFmpeg makes of Python's float 1/seconds (a clip
    /// length of 2 gives 1/2, of 1.5 gives 2/3).
    /// </summary>
    public static FrameRate OneEvery(double seconds)
    {
        if (!(seconds > 0) || !double.IsFinite(seconds))
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "must be a positive number of seconds");
        for (long denominator = 1; denominator <= 1000; denominator++)
        {
            var numerator = Math.Round(seconds * denominator);
            if (numerator >= 1 && Math.Abs(seconds * denominator - numerator) < 1e-9 * denominator)
                return new FrameRate(denominator, (long)numerator);
        }
        throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "must be a fraction of seconds with a denominator up to 1000");
    }

    /// <summary>"1/2": the form FFmpeg's fps filter parses exactly.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");
}
