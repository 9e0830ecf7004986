using System.Numerics;

namespace Vireo.Grounding.Trained;

/// <summary>
/// Python's <c>float(f"{x:.4f}")</c>: the exact binary value of <c>x</c> rounded to a number of decimals, ties to even.
/// (<see cref="Math.Round(double, int, MidpointRounding)"/> scales by a power of ten first, which is inexact, and
/// formatting with "F4" breaks ties away from zero: a window at 0.03125 would round differently from the official files.)
/// </summary>
public static class DecimalRounding
{
    public static double Round(double value, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        if (!double.IsFinite(value) || value == 0)
            return value;
        var bits = BitConverter.DoubleToInt64Bits(Math.Abs(value));
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0)
            exponent = 1;
        else
            mantissa |= 1L << 52;
        exponent -= 1075;   // value = mantissa · 2^exponent
        var scale = BigInteger.Pow(10, decimals);
        var numerator = mantissa * scale;
        BigInteger rounded;
        if (exponent >= 0)
        {
            rounded = numerator << exponent;
        }
        else
        {
            var denominator = BigInteger.One << -exponent;
            rounded = BigInteger.DivRem(numerator, denominator, out var remainder);
            var twice = remainder << 1;
            if (twice > denominator || (twice == denominator && !rounded.IsEven))
                rounded += 1;
        }
        var result = (double)rounded / (double)scale;
        return value < 0 ? -result : result;
    }
}
