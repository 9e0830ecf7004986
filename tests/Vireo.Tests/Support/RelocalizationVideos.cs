using System.Globalization;
using Vireo.Grounding;
using Vireo.Media;
using Vireo.Temporal;

namespace Vireo.Tests.Support;

/// <summary>A segment cut from a source video, transformed, and inserted into a host video at a known place.</summary>
/// <param name="Source">The source video the query is cut from.</param>
/// <param name="SourceStart">Query start in the source (seconds).</param>
/// <param name="SourceEnd">Query end in the source.</param>
/// <param name="Host">The video the transformed segment was inserted into.</param>
/// <param name="Start">Where the inserted segment starts in the host.</param>
/// <param name="End">Where it ends.</param>
/// <param name="Transform">The FFmpeg transformation applied (for messages).</param>
public sealed record InsertedSegment(string Source, double SourceStart, double SourceEnd, string Host, double Start, double End, string Transform);

/// <summary>
/// Videos for re-localization tests: sources made of stretches of varied lengths (1.5–5 s, like shots) of the nine colours the
/// concept model knows (their embeddings are orthogonal, and robust to small brightness changes, unlike mixtures of
/// concepts), so that a run of stretches is a distinctive clip sequence, 10–20 s segments cut from them, transformed with FFmpeg (speed 0.75–1.5× with setpts, re-encoding
/// with another codec or quality, scaling, cropped borders, brightness) and inserted into hosts of other random
/// colours at known offsets. Everything is 160x120 at 10 fps.
/// </summary>
public static class RelocalizationVideos
{
    private const int Width = 160;
    private const int Height = 120;
    private const int Fps = 10;

    /// <summary>The concept model's colours, as FFmpeg names them.</summary>
    private static readonly string[] Colours = ["red", "lime", "blue", "yellow", "0xFF8000", "0x800080", "white", "black", "gray"];

    private static readonly double[] Speeds = [0.75, 1.0, 1.25, 1.5, 0.9, 1.1];

    /// <summary>FFmpeg filters and codec settings of the transformations, cycled through the cases.</summary>
    private static readonly (string Name, string Filter, string[] Codec)[] Transforms =
    [
        ("re-encode mpeg4 q12", "", ["-c:v", "mpeg4", "-q:v", "12"]),
        ("scale 96x72", "scale=96:72", ["-c:v", "libx264", "-crf", "30", "-preset", "ultrafast"]),
        ("crop borders", "crop=iw-24:ih-18", ["-c:v", "libx264", "-crf", "23", "-preset", "ultrafast"]),
        ("brighter", "eq=brightness=0.08", ["-c:v", "libx264", "-crf", "28", "-preset", "ultrafast"]),
        ("darker, scaled", "eq=brightness=-0.08,scale=128:96", ["-c:v", "mpeg4", "-q:v", "6"]),
        ("crop and re-encode crf 38", "crop=iw-16:ih-12:8:6", ["-c:v", "libx264", "-crf", "38", "-preset", "ultrafast"]),
    ];

    /// <summary>
    /// Writes <paramref name="sources"/> sources of <paramref name="segmentsPerSource"/> disjoint segments each, and
    /// hosts of <paramref name="segmentsPerHost"/> inserted segments each, into <paramref name="folder"/>/sources,
    /// /segments and /hosts (index /hosts).
    /// </summary>
    public static async Task<List<InsertedSegment>> WriteAsync(string folder, int seed, int sources, int segmentsPerSource, int segmentsPerHost)
    {
        var random = new Random(seed);
        var sourceFolder = Directory.CreateDirectory(Path.Combine(folder, "sources")).FullName;
        var segmentFolder = Directory.CreateDirectory(Path.Combine(folder, "segments")).FullName;
        var hostFolder = Directory.CreateDirectory(Path.Combine(folder, "hosts")).FullName;

        // Sources: segments of 10–20 s with gaps of 2–6 s between them.
        var cuts = new List<(string Source, double Start, double End)>();
        var sourceStretches = new Dictionary<string, List<(string Colour, double Seconds)>>();
        var sourceJobs = new List<Func<Task>>();
        for (var s = 0; s < sources; s++)
        {
            var path = Path.Combine(sourceFolder, $"source{s:D2}.mp4");
            var time = Tenths(2 + random.NextDouble() * 3);
            for (var k = 0; k < segmentsPerSource; k++)
            {
                var length = Tenths(10 + random.NextDouble() * 10);
                cuts.Add((path, time, time + length));
                time = Tenths(time + length + 2 + random.NextDouble() * 4);
            }
            var stretches = RandomStretches(random, time + 2);
            sourceStretches[path] = stretches;
            sourceJobs.Add(() => ColourVideos.WriteAsync(path, Width, Height, stretches));
        }
        await RunTwoAtATime(sourceJobs);

        // Segments: cut, transformed, encoded on their own.
        var order = cuts.OrderBy(_ => random.Next()).ToList();
        var segments = new List<(string Path, int Cut, string Transform)>();
        var segmentJobs = new List<Func<Task>>();
        for (var i = 0; i < order.Count; i++)
        {
            var (source, start, end) = order[i];
            var transform = Transforms[i % Transforms.Length];
            var speed = Speeds[i % Speeds.Length];
            var filters = string.Join(',', new[] { $"setpts=PTS/{Invariant(speed)}", transform.Filter, $"fps={Fps}", "format=yuv420p" }.Where(f => f.Length > 0));
            var path = Path.Combine(segmentFolder, $"segment{i:D2}.mp4");
            segments.Add((path, i, $"{transform.Name}, speed {Invariant(speed)}"));
            segmentJobs.Add(() => FFmpegRunner.RunAsync([
                "-ss", Invariant(start), "-t", Invariant(end - start), "-i", source, "-vf", filters, .. transform.Codec, "-an", path]));
        }
        await RunTwoAtATime(segmentJobs);

        // Hosts: random colour fillers of 4–12 s around the segments.
        var cases = new List<InsertedSegment>();
        var hostJobs = new List<Func<Task>>();
        for (var h = 0; h * segmentsPerHost < segments.Count; h++)
        {
            var path = Path.Combine(hostFolder, $"host{h:D2}.mp4");
            var parts = new List<string>();
            var time = 0.0;
            var mine = segments.Skip(h * segmentsPerHost).Take(segmentsPerHost).ToList();
            string? previousColour = null;
            foreach (var (segmentPath, cut, transform) in mine)
            {
                // Fillers never touch a segment with its own boundary colour, which would make the boundary ambiguous.
                var (source, start, end) = order[cut];
                var filler = RandomStretches(random, Tenths(4 + random.NextDouble() * 8), previousColour, ColourAt(sourceStretches[source], start));
                previousColour = ColourAt(sourceStretches[source], end - 0.05);
                parts.AddRange(filler.Select(f => Lavfi(f.Colour, f.Seconds)));
                time += filler.Sum(f => f.Seconds);
                var duration = (await MediaProbe.ProbeVideoAsync(segmentPath)).Duration;
                parts.Add(segmentPath);
                cases.Add(new InsertedSegment(source, start, end, path, time, time + duration, transform));
                time += duration;
            }
            var tail = RandomStretches(random, Tenths(4 + random.NextDouble() * 6), previousColour, null);
            parts.AddRange(tail.Select(f => Lavfi(f.Colour, f.Seconds)));
            hostJobs.Add(() => ConcatAsync(path, parts));
        }
        await RunTwoAtATime(hostJobs);
        return cases;
    }

    /// <summary>
    /// A source video and a host (<paramref name="hostPath"/>) in which the source's [3, 17] s occurs twice: as it is
    /// at <c>First</c>, and 1.25× faster, brighter and re-encoded at <c>Second</c>.
    /// </summary>
    public static async Task<(string Source, TemporalWindow First, TemporalWindow Second)> WriteReplaysAsync(string folder, string hostPath)
    {
        var source = await ColourVideos.WriteAsync(Path.Combine(folder, "source.mp4"), Width, Height,
            [("red", 3), ("blue", 2.5), ("yellow", 4), ("gray", 2), ("lime", 3.5), ("0x800080", 2), ("white", 3), ("black", 2.5), ("0xFF8000", 3), ("blue", 4)]);
        var asIs = Path.Combine(folder, "as-is.mp4");
        var faster = Path.Combine(folder, "faster.mp4");
        await FFmpegRunner.RunAsync("-ss", "3", "-t", "14", "-i", source, "-vf", $"fps={Fps}", "-c:v", "libx264", "-preset", "ultrafast", asIs);
        await FFmpegRunner.RunAsync("-ss", "3", "-t", "14", "-i", source, "-vf", $"setpts=PTS/1.25,eq=brightness=0.08,fps={Fps}", "-c:v", "mpeg4", "-q:v", "8", faster);
        await ConcatAsync(hostPath, [Lavfi("white", 5), asIs, Lavfi("red", 6), Lavfi("black", 4), faster, Lavfi("0xFF8000", 5)]);
        var first = new TemporalWindow(5, 5 + (await MediaProbe.ProbeVideoAsync(asIs)).Duration);
        var secondStart = first.End + 10;
        var second = new TemporalWindow(secondStart, secondStart + (await MediaProbe.ProbeVideoAsync(faster)).Duration);
        return (source, first, second);
    }

    /// <summary>A part of <see cref="ConcatAsync"/>: a plain colour for <paramref name="seconds"/>.</summary>
    public static string Lavfi(string colour, double seconds) => $"lavfi:color=c={colour}:s={Width}x{Height}:r={Fps}:d={Invariant(seconds)}";

    /// <summary>Concatenates lavfi sources ("lavfi:...", see <see cref="Lavfi"/>) and files, each scaled to the host size at the host frame rate.</summary>
    public static Task ConcatAsync(string path, List<string> parts)
    {
        var arguments = new List<string>();
        foreach (var part in parts)
        {
            if (part.StartsWith("lavfi:", StringComparison.Ordinal))
                arguments.AddRange(["-f", "lavfi", "-i", part["lavfi:".Length..]]);
            else
                arguments.AddRange(["-i", part]);
        }
        var normalise = string.Concat(parts.Select((_, i) => $"[{i}:v]scale={Width}:{Height},setsar=1,fps={Fps},format=yuv420p[v{i}];"));
        var inputs = string.Concat(parts.Select((_, i) => $"[v{i}]"));
        arguments.AddRange(["-filter_complex", $"{normalise}{inputs}concat=n={parts.Count}:v=1:a=0",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-g", "20", path]);
        return FFmpegRunner.RunAsync([.. arguments]);
    }

    /// <summary>Stretches of random colours (never the same twice in a row), 1.5–5 s each, filling <paramref name="seconds"/>.</summary>
    private static List<(string Colour, double Seconds)> RandomStretches(Random random, double seconds, string? notFirst = null, string? notLast = null)
    {
        var stretches = new List<(string, double)>();
        var left = seconds;
        while (left > 0.05)
        {
            var length = Math.Min(left, Tenths(1.5 + random.NextDouble() * 3.5));
            if (left - length < 1.5)
                length = left;
            var last = left - length < 0.05;
            var colour = Colours[random.Next(Colours.Length)];
            while ((stretches.Count > 0 && stretches[^1].Item1 == colour) || (stretches.Count == 0 && colour == notFirst) || (last && colour == notLast))
                colour = Colours[random.Next(Colours.Length)];
            stretches.Add((colour, Tenths(length)));
            left = Tenths(left - length);
        }
        return stretches;
    }

    /// <summary>The colour of the stretch that covers time <paramref name="seconds"/>.</summary>
    private static string ColourAt(List<(string Colour, double Seconds)> stretches, double seconds)
    {
        var time = 0.0;
        foreach (var (colour, length) in stretches)
        {
            time += length;
            if (seconds < time)
                return colour;
        }
        return stretches[^1].Colour;
    }

    private static async Task RunTwoAtATime(List<Func<Task>> jobs)
    {
        using var gate = new SemaphoreSlim(2);
        await Task.WhenAll(jobs.Select(async job =>
        {
            await gate.WaitAsync();
            try
            {
                await job();
            }
            finally
            {
                gate.Release();
            }
        }));
    }

    private static double Tenths(double seconds) => Math.Round(seconds, 1);

    private static string Invariant(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
