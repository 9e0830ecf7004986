using System.Numerics;

namespace Vireo.Models.Preprocessing;

/// <summary>
/// PIL's resampling weights along one axis, in its 8-bit fixed point (22 fractional bits): for output
/// pixel i, the first input pixel, the tap count, and the taps. Built as Pillow's precompute_coeffs does
/// (support scaled by the downscale factor, window rounded to whole pixels, weights normalised to sum 1,
/// then rounded half away from zero to fixed point), so that results match PIL to the last bit.
/// Only the outputs in [first, first + count) are kept: those that survive the center crop.
/// </summary>
internal sealed class ResampleCoefficients
{
    public const int PrecisionBits = 32 - 8 - 2;

    private ResampleCoefficients(int[] starts, int[] taps, int[] weights, int stride)
    {
        Starts = starts;
        Taps = taps;
        Weights = weights;
        Stride = stride;
    }

    /// <summary>Per kept output pixel, the first input pixel it reads.</summary>
    public int[] Starts { get; }

    /// <summary>Per kept output pixel, how many input pixels it reads.</summary>
    public int[] Taps { get; }

    /// <summary>Fixed-point weights, <see cref="Stride"/> per output pixel.</summary>
    public int[] Weights { get; }

    public int Stride { get; }

    /// <summary>The first input pixel any kept output reads.</summary>
    public int FirstInput => Starts.Length == 0 ? 0 : Starts.Min();

    /// <summary>One past the last input pixel any kept output reads.</summary>
    public int EndInput
    {
        get
        {
            var end = 0;
            for (var i = 0; i < Starts.Length; i++)
                end = Math.Max(end, Starts[i] + Taps[i]);
            return end;
        }
    }

    public static ResampleCoefficients Create(int inputSize, int outputSize, ResampleFilter filter, int first, int count)
    {
        var support = filter == ResampleFilter.Bicubic ? 2.0 : 1.0;
        var scale = (double)inputSize / outputSize;
        var filterScale = Math.Max(scale, 1.0);
        support *= filterScale;
        // Rows of weights are zero-padded to whole SIMD vectors; zero weights leave the integer sums unchanged.
        var lanes = Vector<int>.Count;
        var stride = ((int)Math.Ceiling(support) * 2 + 1 + lanes - 1) / lanes * lanes;
        var inverse = 1.0 / filterScale;

        var starts = new int[count];
        var taps = new int[count];
        var weights = new int[count * stride];
        var row = new double[stride];
        for (var i = 0; i < count; i++)
        {
            var center = (first + i + 0.5) * scale;
            var min = Math.Max((int)(center - support + 0.5), 0);
            var max = Math.Min((int)(center + support + 0.5), inputSize) - min;
            var sum = 0.0;
            for (var x = 0; x < max; x++)
            {
                row[x] = Kernel(filter, (x + min - center + 0.5) * inverse);
                sum += row[x];
            }
            for (var x = 0; x < max; x++)
            {
                var w = sum != 0.0 ? row[x] / sum : row[x];
                weights[i * stride + x] = w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits));
            }
            starts[i] = min;
            taps[i] = max;
        }
        return new ResampleCoefficients(starts, taps, weights, stride);
    }

    private static double Kernel(ResampleFilter filter, double x)
    {
        x = Math.Abs(x);
        if (filter == ResampleFilter.Bilinear)
            return x < 1.0 ? 1.0 - x : 0.0;
        const double a = -0.5;
        if (x < 1.0)
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0)
            return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    /// <summary>PIL's clip8: the fixed-point sum back to a byte, clamped.</summary>
    public static byte ToByte(int sum)
    {
        var value = sum >> PrecisionBits;
        return value < 0 ? (byte)0 : value > 255 ? (byte)255 : (byte)value;
    }
}
