using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using Vireo.Media;

namespace Vireo.Models.Preprocessing;

/// <summary>
/// Applies an <see cref="ImagePreprocessing"/> to packed RGB24 pixels, writing float32 CHW (RGB planes) into a
/// caller's span, so a batch tensor can be filled in place. The resize reproduces PIL's 8-bit resampling
/// exactly: two separable fixed-point passes, horizontal first, each rounded and clamped to 0..255; only the
/// pixels that survive the center crop are computed. Weights are cached per input size. Safe to share
/// between threads.
/// </summary>
public sealed class ImagePreprocessor
{
    private const int MaxCachedPlans = 16;

    private readonly float[] _lookup;
    private readonly ConcurrentDictionary<(int, int), ResizePlan> _plans = new();

    public ImagePreprocessor(ImagePreprocessing settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        Settings = settings;
        _lookup = new float[3 * 256];
        for (var channel = 0; channel < 3; channel++)
        {
            for (var value = 0; value < 256; value++)
            {
                // As torchvision: float32 value / 255, then (x - mean) / std in float32.
                var x = settings.DoRescale ? (settings.RescaleFactor == 1 / 255.0 ? value / 255f : (float)(value * settings.RescaleFactor)) : value;
                _lookup[channel * 256 + value] = settings.DoNormalize ? (x - settings.Mean[channel]) / settings.Std[channel] : x;
            }
        }
    }

    public ImagePreprocessing Settings { get; }

    /// <summary>Floats written for an input of this size: 3 x output height x output width.</summary>
    public int OutputLength(int inputWidth, int inputHeight)
    {
        var (width, height) = Settings.OutputSize(inputWidth, inputHeight);
        return 3 * width * height;
    }

    /// <summary>Preprocesses a frame into <paramref name="destination"/> (CHW, <see cref="OutputLength"/> floats).</summary>
    public void Preprocess(VideoFrame frame, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Preprocess(frame.Pixels, frame.Width, frame.Height, destination);
    }

    /// <summary>Preprocesses a frame into a new CHW array.</summary>
    public float[] Preprocess(VideoFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var output = new float[OutputLength(frame.Width, frame.Height)];
        Preprocess(frame.Pixels, frame.Width, frame.Height, output);
        return output;
    }

    /// <summary>Preprocesses packed RGB24 pixels (stride 3 x width) into <paramref name="destination"/> (CHW).</summary>
    public void Preprocess(ReadOnlySpan<byte> rgb, int width, int height, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (rgb.Length < width * height * 3)
            throw new ArgumentException($"expected {width * height * 3} bytes of RGB24 for {width}x{height}, got {rgb.Length}", nameof(rgb));
        var plan = Plan(width, height);
        var planeSize = plan.OutputWidth * plan.OutputHeight;
        if (destination.Length < 3 * planeSize)
            throw new ArgumentException($"the destination holds {destination.Length} floats; {plan.OutputWidth}x{plan.OutputHeight} CHW needs {3 * planeSize}", nameof(destination));
        destination = destination[..(3 * planeSize)];
        if (plan.Pads)
        {
            for (var channel = 0; channel < 3; channel++)
                destination.Slice(channel * planeSize, planeSize).Fill(_lookup[channel * 256]);
        }

        var rowValues = plan.KeptWidth * 3;
        var rows = plan.EndInputRow - plan.FirstInputRow;
        var planeLength = width + Vector<int>.Count;
        var ints = ArrayPool<int>.Shared.Rent(rows * rowValues + rowValues + 3 * planeLength);
        var line = ArrayPool<byte>.Shared.Rent(Math.Max(rowValues, 1));
        try
        {
            var columns = ints.AsSpan(0, rows * rowValues);
            var sums = ints.AsSpan(rows * rowValues, rowValues);
            var planes = ints.AsSpan(rows * rowValues + rowValues, 3 * planeLength);
            for (var row = 0; row < rows; row++)
            {
                var source = rgb.Slice((plan.FirstInputRow + row) * width * 3, width * 3);
                var target = columns.Slice(row * rowValues, rowValues);
                if (plan.Horizontal is { } horizontal)
                {
                    ResampleRow(source, horizontal, planes, planeLength, target);
                }
                else
                {
                    var kept = source.Slice(plan.KeptLeft * 3, rowValues);
                    for (var i = 0; i < kept.Length; i++)
                        target[i] = kept[i];
                }
            }

            var pixels = line.AsSpan(0, rowValues);
            for (var y = plan.KeptTop; y < plan.KeptBottom; y++)
            {
                if (plan.Vertical is { } vertical)
                {
                    ResampleColumns(columns, rowValues, vertical, y - plan.KeptTop, plan.FirstInputRow, sums, pixels);
                }
                else
                {
                    var row = columns.Slice((y - plan.FirstInputRow) * rowValues, rowValues);
                    for (var i = 0; i < row.Length; i++)
                        pixels[i] = (byte)row[i];
                }
                WriteNormalized(pixels, destination, planeSize, (y - plan.Top) * plan.OutputWidth + plan.KeptLeft - plan.Left);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(line);
            ArrayPool<int>.Shared.Return(ints);
        }
    }

    private ResizePlan Plan(int width, int height)
    {
        if (_plans.TryGetValue((width, height), out var plan))
            return plan;
        if (_plans.Count >= MaxCachedPlans)
            _plans.Clear();
        plan = ResizePlan.Create(Settings, width, height);
        _plans[(width, height)] = plan;
        return plan;
    }

    // Horizontal pass over one input row: each kept output pixel is a weighted sum of its input window.
    // The row is split into channel planes so that a window is contiguous and multiplies as whole vectors.
    private static void ResampleRow(ReadOnlySpan<byte> source, ResampleCoefficients coefficients, Span<int> planes, int planeLength, Span<int> target)
    {
        const int half = 1 << (ResampleCoefficients.PrecisionBits - 1);
        var lanes = Vector<int>.Count;
        var red = planes[..planeLength];
        var green = planes.Slice(planeLength, planeLength);
        var blue = planes.Slice(2 * planeLength, planeLength);
        var width = source.Length / 3;
        for (var x = 0; x < width; x++)
        {
            red[x] = source[x * 3];
            green[x] = source[x * 3 + 1];
            blue[x] = source[x * 3 + 2];
        }

        var weights = coefficients.Weights.AsSpan();
        for (var x = 0; x < coefficients.Starts.Length; x++)
        {
            var start = coefficients.Starts[x];
            var end = coefficients.Taps[x];
            var row = weights.Slice(x * coefficients.Stride, coefficients.Stride);
            Vector<int> r = default, g = default, b = default;
            // Past the window the weights are zero, so reading up to a whole vector further changes nothing.
            for (var t = 0; t < end; t += lanes)
            {
                var w = new Vector<int>(row[t..]);
                r += new Vector<int>(red[(start + t)..]) * w;
                g += new Vector<int>(green[(start + t)..]) * w;
                b += new Vector<int>(blue[(start + t)..]) * w;
            }
            target[x * 3] = ResampleCoefficients.ToByte(half + Vector.Sum(r));
            target[x * 3 + 1] = ResampleCoefficients.ToByte(half + Vector.Sum(g));
            target[x * 3 + 2] = ResampleCoefficients.ToByte(half + Vector.Sum(b));
        }
    }

    // Vertical pass for one kept output row: a weighted sum of whole rows of the horizontal result.
    private static void ResampleColumns(ReadOnlySpan<int> columns, int rowValues, ResampleCoefficients coefficients, int index, int firstRow,
        Span<int> sums, Span<byte> line)
    {
        var lanes = Vector<int>.Count;
        sums.Fill(1 << (ResampleCoefficients.PrecisionBits - 1));
        var start = coefficients.Starts[index] - firstRow;
        var weights = coefficients.Weights.AsSpan(index * coefficients.Stride, coefficients.Taps[index]);
        var vectorEnd = rowValues - rowValues % lanes;
        for (var t = 0; t < weights.Length; t++)
        {
            var weight = weights[t];
            var row = columns.Slice((start + t) * rowValues, rowValues);
            var i = 0;
            for (; i < vectorEnd; i += lanes)
                (new Vector<int>(sums[i..]) + new Vector<int>(row[i..]) * weight).CopyTo(sums[i..]);
            for (; i < rowValues; i++)
                sums[i] += row[i] * weight;
        }
        for (var i = 0; i < rowValues; i++)
            line[i] = ResampleCoefficients.ToByte(sums[i]);
    }

    private void WriteNormalized(ReadOnlySpan<byte> pixels, Span<float> destination, int planeSize, int offset)
    {
        var count = pixels.Length / 3;
        var red = destination.Slice(offset, count);
        var green = destination.Slice(planeSize + offset, count);
        var blue = destination.Slice(2 * planeSize + offset, count);
        var lookup = _lookup.AsSpan();
        for (var x = 0; x < count; x++)
        {
            red[x] = lookup[pixels[x * 3]];
            green[x] = lookup[256 + pixels[x * 3 + 1]];
            blue[x] = lookup[512 + pixels[x * 3 + 2]];
        }
    }
}
