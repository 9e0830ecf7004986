using System.Globalization;

namespace Vireo.Tests.Support;

/// <summary>Videos made of solid colour stretches (and test patterns), for indexing and grounding tests.</summary>
public static class ColourVideos
{
    /// <summary>
    /// Writes a video of consecutive stretches, each (lavfi colour or "testsrc2", seconds), at 160x90, 10 fps,
    /// H.264 with a key frame every 2 s (cheap to make, fast to decode).
    /// </summary>
    public static Task<string> WriteAsync(string path, params (string Colour, double Seconds)[] stretches) => WriteAsync(path, 160, 90, stretches);

    /// <summary>As <see cref="WriteAsync(string, (string, double)[])"/>, at <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static async Task<string> WriteAsync(string path, int width, int height, IReadOnlyList<(string Colour, double Seconds)> stretches)
    {
        var arguments = new List<string>();
        foreach (var (colour, seconds) in stretches)
        {
            var duration = seconds.ToString("0.###", CultureInfo.InvariantCulture);
            var source = colour == "testsrc2"
                ? $"testsrc2=s={width}x{height}:r=10:d={duration}"
                : $"color=c={colour}:s={width}x{height}:r=10:d={duration}";
            arguments.AddRange(["-f", "lavfi", "-i", source]);
        }
        var inputs = string.Concat(Enumerable.Range(0, stretches.Count).Select(i => $"[{i}:v]"));
        arguments.AddRange(["-filter_complex", $"{inputs}concat=n={stretches.Count}:v=1:a=0,format=yuv420p",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "20", path]);
        await FFmpegRunner.RunAsync([.. arguments]);
        return path;
    }
}
