using Vireo.Models.Preprocessing;

namespace Vireo.Tests.Synthetic;

/// <summary>Test images as packed RGB24 and their CLIP normalisation (CHW, (v/255 − mean)/std).</summary>
public static class SyntheticImages
{
    private static readonly ImagePreprocessor NormalizeOnly = new(ImagePreprocessing.Clip with { DoResize = false, DoCenterCrop = false });

    public static byte[] Solid(int size, byte r, byte g, byte b) => Pattern(size, (_, _) => (r, g, b));

    /// <summary>Stripes <paramref name="width"/> pixels wide, vertical (alternating along x) or horizontal.</summary>
    public static byte[] Stripes(int size, int width, bool vertical, (byte R, byte G, byte B) a, (byte R, byte G, byte B) b) =>
        Pattern(size, (x, y) => ((vertical ? x : y) / width) % 2 == 0 ? a : b);

    public static byte[] Checkerboard(int size, int cell, (byte R, byte G, byte B) a, (byte R, byte G, byte B) b) =>
        Pattern(size, (x, y) => (x / cell + y / cell) % 2 == 0 ? a : b);

    public static float[] Normalize(byte[] rgb, int size)
    {
        var pixels = new float[3 * size * size];
        NormalizeOnly.Preprocess(rgb, size, size, pixels);
        return pixels;
    }

    private static byte[] Pattern(int size, Func<int, int, (byte R, byte G, byte B)> colour)
    {
        var rgb = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var (r, g, b) = colour(x, y);
                var i = (y * size + x) * 3;
                (rgb[i], rgb[i + 1], rgb[i + 2]) = (r, g, b);
            }
        }
        return rgb;
    }
}
