using Vireo.Media;

namespace Vireo.Tests.Support;

/// <summary>Pixel checks on sampled frames.</summary>
public static class FrameAssert
{
    /// <summary>The mean colour of a w x h box at (x, y).</summary>
    public static (double R, double G, double B) MeanColor(VideoFrame frame, int x, int y, int width, int height)
    {
        double r = 0, g = 0, b = 0;
        var pixels = frame.Pixels;
        for (var row = y; row < y + height; row++)
        {
            for (var col = x; col < x + width; col++)
            {
                var i = row * frame.Stride + col * 3;
                r += pixels[i];
                g += pixels[i + 1];
                b += pixels[i + 2];
            }
        }
        var n = (double)width * height;
        return (r / n, g / n, b / n);
    }

    public static (double R, double G, double B) MeanColor(VideoFrame frame) => MeanColor(frame, 0, 0, frame.Width, frame.Height);

    /// <summary>Asserts a colour is within <paramref name="tolerance"/> per channel (YUV round trips move colours a little).</summary>
    public static void Near((double R, double G, double B) actual, (int R, int G, int B) expected, double tolerance = 24, string? what = null)
    {
        var ok = Math.Abs(actual.R - expected.R) <= tolerance && Math.Abs(actual.G - expected.G) <= tolerance && Math.Abs(actual.B - expected.B) <= tolerance;
        Assert.True(ok, $"{what ?? "colour"}: expected ~{expected}, got ({actual.R:0},{actual.G:0},{actual.B:0})");
    }
}
