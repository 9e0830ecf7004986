using Vireo.Models.Preprocessing;

namespace Vireo.Embedding.GrounderFeatures;

/// <summary>
/// Lighthouse's pixel normalisation of frames FFmpeg already scaled and cropped: float32 <c>v / 255</c>, then
/// <c>(x − mean) / (std + 1e-8)</c> per channel, RGB24 in, CHW out. Every step is one float32 operation as in
/// PyTorch, so the values are bit-identical; with 256 possible bytes per channel they are looked up.
/// </summary>
internal sealed class LighthousePixels
{
    private readonly float[][] _table = new float[3][];

    public LighthousePixels(ImagePreprocessing settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        for (var channel = 0; channel < 3; channel++)
        {
            var mean = settings.Mean[channel];
            var std = (float)(settings.Std[channel] + (double)1e-8f); // exact sum rounded once, as float32 addition does
            var values = new float[256];
            for (var v = 0; v < 256; v++)
                values[v] = (v / 255f - mean) / std;
            _table[channel] = values;
        }
    }

    /// <summary>Writes the [3, size, size] input of one square RGB24 frame into <paramref name="destination"/>.</summary>
    public void Fill(ReadOnlySpan<byte> rgb, Span<float> destination)
    {
        var plane = rgb.Length / 3;
        if (destination.Length < rgb.Length)
            throw new ArgumentException($"{destination.Length} floats cannot hold {rgb.Length} values", nameof(destination));
        var red = destination[..plane];
        var green = destination.Slice(plane, plane);
        var blue = destination.Slice(2 * plane, plane);
        var (r, g, b) = (_table[0], _table[1], _table[2]);
        for (var i = 0; i < plane; i++)
        {
            red[i] = r[rgb[3 * i]];
            green[i] = g[rgb[3 * i + 1]];
            blue[i] = b[rgb[3 * i + 2]];
        }
    }
}
