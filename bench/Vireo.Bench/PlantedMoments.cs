using System.Globalization;

namespace Vireo.Bench;

/// <summary>A colour stretch planted in a generated video: where the sentence naming the colour should land.</summary>
internal sealed record PlantedMoment(string Video, string Word, double Start, double End);

/// <summary>
/// Videos of gray, black and white stretches with the colours the concept model knows planted once each, at seeded
/// random places and lengths (1.5 to 6 s: the short events where the sampling rate shows), 320x180 at 30 fps H.264.
/// </summary>
internal static class PlantedMoments
{
    public const double MinLength = 1.5;
    public const double MaxLength = 6;

    private static readonly (string Word, string Lavfi)[] Targets =
        [("red", "red"), ("green", "lime"), ("blue", "blue"), ("yellow", "yellow"), ("orange", "0xFF8000"), ("purple", "0x800080")];

    private static readonly string[] Backgrounds = ["gray", "black", "white"];

    /// <summary>Writes the videos into <paramref name="folder"/> once (seeded: the same every run); returns the planted moments.</summary>
    public static async Task<List<PlantedMoment>> WriteAsync(string folder, int videos, double seconds)
    {
        Directory.CreateDirectory(folder);
        var planted = new List<PlantedMoment>();
        for (var v = 0; v < videos; v++)
        {
            var path = Path.Combine(folder, $"planted-{v}.mp4");
            var random = new Random(1000 + v);
            var slots = seconds / Targets.Length;
            var stretches = new List<(string Colour, double Seconds)>();
            var time = 0.0;
            foreach (var (word, lavfi) in Targets.OrderBy(_ => random.Next()).ToList().Select((t, i) => (t, i)).Select(x => x.t))
            {
                var slot = planted.Count(p => p.Video == path);
                var length = Math.Round(MinLength + random.NextDouble() * (MaxLength - MinLength), 1);
                var start = Math.Round(slot * slots + 1 + random.NextDouble() * (slots - length - 2), 1);
                stretches.Add((Backgrounds[random.Next(Backgrounds.Length)], start - time));
                stretches.Add((lavfi, length));
                planted.Add(new PlantedMoment(path, word, start, start + length));
                time = start + length;
            }
            stretches.Add((Backgrounds[random.Next(Backgrounds.Length)], seconds - time));
            if (!File.Exists(path))
                await WriteVideoAsync(path, stretches);
        }
        return planted;
    }

    private static Task WriteVideoAsync(string path, List<(string Colour, double Seconds)> stretches)
    {
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error", "-y" };
        foreach (var (colour, length) in stretches)
            arguments.AddRange(["-f", "lavfi", "-i", $"color=c={colour}:s=320x180:r=30:d={length.ToString("0.###", CultureInfo.InvariantCulture)}"]);
        var inputs = string.Concat(Enumerable.Range(0, stretches.Count).Select(i => $"[{i}:v]"));
        var partial = path + ".partial.mp4";
        arguments.AddRange(["-filter_complex", $"{inputs}concat=n={stretches.Count}:v=1:a=0,format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-g", "30", partial]);
        return Task.Run(() =>
        {
            MediaBench.TimeProcess("ffmpeg", [.. arguments]);
            File.Move(partial, path, overwrite: true);
        });
    }
}
