using System.Buffers;
using System.Collections.Concurrent;
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

        var rowBytes = plan.KeptWidth * 3;
        var rows = plan.EndInputRow - plan.FirstInputRow;
        var scratch = ArrayPool<byte>.Shared.Rent(Math.Max(rows * rowBytes, 1) + rowBytes);
        var sums = ArrayPool<int>.Shared.Rent(Math.Max(rowBytes, 1));
        try
        {
            var columns = scratch.AsSpan(0, rows * rowBytes);
            var line = scratch.AsSpan(rows * rowBytes, rowBytes);
            for (var row = 0; row < rows; row++)
            {
                var source = rgb.Slice((plan.FirstInputRow + row) * width * 3, width * 3);
                var target = columns.Slice(row * rowBytes, rowBytes);
                if (plan.Horizontal is { } horizontal)
                    ResampleRow(source, horizontal, target);
                else
                    source.Slice(plan.KeptLeft * 3, rowBytes).CopyTo(target);
            }

            for (var y = plan.KeptTop; y < plan.KeptBottom; y++)
            {
                ReadOnlySpan<byte> pixels;
                if (plan.Vertical is { } vertical)
                {
                    ResampleColumns(columns, rowBytes, vertical, y - plan.KeptTop, plan.FirstInputRow, sums.AsSpan(0, rowBytes), line);
                    pixels = line;
                }
                else
                {
                    pixels = columns.Slice((y - plan.FirstInputRow) * rowBytes, rowBytes);
                }
                WriteNormalized(pixels, destination, planeSize, (y - plan.Top) * plan.OutputWidth + plan.KeptLeft - plan.Left);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sums);
            ArrayPool<byte>.Shared.Return(scratch);
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
    private static unsafe void ResampleRow(ReadOnlySpan<byte> source, ResampleCoefficients coefficients, Span<byte> target)
    {
        const int half = 1 << (ResampleCoefficients.PrecisionBits - 1);
        var starts = coefficients.Starts;
        var taps = coefficients.Taps;
        var stride = coefficients.Stride;
        var last = starts.Length - 1;
        if (last >= 0 && ((starts[last] + taps[last]) * 3 > source.Length || target.Length < starts.Length * 3))
            throw new ArgumentException("the row is shorter than the resampling window");
        fixed (byte* input = source)
        fixed (byte* output = target)
        fixed (int* allWeights = coefficients.Weights)
        {
            for (var x = 0; x < starts.Length; x++)
            {
                int r = half, g = half, b = half;
                var pixel = input + starts[x] * 3;
                var w = allWeights + x * stride;
                var count = taps[x];
                for (var t = 0; t < count; t++, pixel += 3)
                {
                    var weight = w[t];
                    r += pixel[0] * weight;
                    g += pixel[1] * weight;
                    b += pixel[2] * weight;
                }
                output[x * 3] = ResampleCoefficients.ToByte(r);
                output[x * 3 + 1] = ResampleCoefficients.ToByte(g);
                output[x * 3 + 2] = ResampleCoefficients.ToByte(b);
            }
        }
    }

    // Vertical pass for one kept output row: a weighted sum of whole rows of the horizontal result.
    private static unsafe void ResampleColumns(ReadOnlySpan<byte> columns, int rowBytes, ResampleCoefficients coefficients, int index, int firstRow,
        Span<int> sums, Span<byte> line)
    {
        sums.Fill(1 << (ResampleCoefficients.PrecisionBits - 1));
        var start = coefficients.Starts[index] - firstRow;
        var weights = coefficients.Weights.AsSpan(index * coefficients.Stride, coefficients.Taps[index]);
        if ((start + weights.Length) * rowBytes > columns.Length || sums.Length < rowBytes || line.Length < rowBytes)
            throw new ArgumentException("the rows are fewer than the resampling window");
        fixed (byte* rows = columns)
        fixed (int* accumulators = sums)
        {
            for (var t = 0; t < weights.Length; t++)
            {
                var weight = weights[t];
                var row = rows + (start + t) * rowBytes;
                for (var i = 0; i < rowBytes; i++)
                    accumulators[i] += row[i] * weight;
            }
            for (var i = 0; i < rowBytes; i++)
                line[i] = ResampleCoefficients.ToByte(accumulators[i]);
        }
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
