using System.Diagnostics;
using System.Globalization;
using Vireo.Media;
using Vireo.TimedText.Ocr;

namespace Vireo.Bench;

/// <summary>
/// The on-screen text channel's cost per hour of video: a slides video (talk.mp4, frames change only at slide changes),
/// captions changing every 3 s on a still background, and the same captions on moving footage (every frame is read).
/// </summary>
internal sealed class OcrBench : IBenchSuite
{
    private const string Font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    public string Name => "ocr";

    public string Description => "on-screen text (Tesseract): seconds of OCR per hour of video, frames sampled vs read";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        report.Context("tesseract", TesseractTool.Default.ExecutablePath);
        report.Context("load", BenchMachine.LoadAverage());
        var talk = SharedVideo("talk.mp4");
        if (talk is null)
            Console.WriteLine("# ../shared/data/videos/talk.mp4 is missing: the slides figures are skipped");
        else
            await MeasureAsync(report, "slides (talk.mp4, 640x360, 6 slides)", talk);
        await MeasureAsync(report, "captions every 3 s on a still background (120 s, 640x360)", await CaptionsAsync(moving: false));
        await MeasureAsync(report, "captions every 3 s on moving footage (120 s, 640x360)", await CaptionsAsync(moving: true), args.Contains("--spans"));
    }

    private static async Task MeasureAsync(BenchReport report, string name, string video, bool printSpans = false)
    {
        var info = await MediaProbe.ProbeVideoAsync(video);
        var size = OcrChannel.FrameSizeFor(info, new OcrOptions());
        var watch = Stopwatch.StartNew();
        await SampleOnlyAsync(info, size);
        var decode = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var reading = await OcrChannel.ReadAsync(video);
        var total = watch.Elapsed.TotalSeconds;
        if (printSpans)
        {
            foreach (var entry in reading.Entries)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"#   [{entry.Start:0.00}, {entry.End:0.00}] {entry.Confidence:0.00} {entry.Text.ReplaceLineEndings(" / ")}"));
        }
        var hours = info.Duration / 3600;
        report.Add($"{name}: seconds per video hour", total / hours, "s/h",
            $"{reading.FramesSampled} frames sampled, {reading.FramesRead} read, {reading.Entries.Count} spans");
        report.Add($"{name}: of which decoding 1 fps at {size}", decode / hours, "s/h");
        report.Add($"{name}: Tesseract per frame read", reading.FramesRead == 0 ? 0 : (total - decode) / reading.FramesRead, "s");
        report.Add($"{name}: real-time factor", info.Duration / total, "x");
    }

    private static async Task SampleOnlyAsync(MediaInfo info, FrameSize size)
    {
        await foreach (var frame in FrameSampler.SampleAsync(info, FrameSampling.AtRate(1), new FrameSamplerOptions { Size = size }))
            frame.Dispose();
    }

    /// <summary>40 captions of 3 s each, white with a black outline, over a dark still frame or over testsrc2 with grain.</summary>
    private static async Task<string> CaptionsAsync(bool moving)
    {
        var folder = Path.Combine(Path.GetTempPath(), "vireo-bench");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, moving ? "ocr-captions-moving.mp4" : "ocr-captions-still.mp4");
        if (File.Exists(path))
            return path;
        var captions = Enumerable.Range(0, 40).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"drawtext=fontfile={Font}:text='Caption number {i + 1} says something new':fontsize=28:fontcolor=white:borderw=2:bordercolor=black:x=(w-tw)/2:y=h-th-40:enable='gte(t,{i * 3})*lt(t,{i * 3 + 3})'"));
        var source = moving ? "testsrc2=size=640x360:rate=25:duration=120,noise=alls=6:allf=t" : "color=c=0x204060:s=640x360:r=25:d=120";
        var partial = path + ".partial.mp4";
        await Task.Run(() => MediaBench.TimeProcess("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", source, "-vf", string.Join(',', captions), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", partial));
        File.Move(partial, path);
        return path;
    }

    private static string? SharedVideo(string name)
    {
        var shared = Environment.GetEnvironmentVariable("VIREO_SHARED");
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); shared is null && dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vireo.slnx")))
                shared = Path.Combine(dir.FullName, "..", "shared");
        }
        var path = shared is null ? null : Path.GetFullPath(Path.Combine(shared, "data", "videos", name));
        return path is not null && File.Exists(path) ? path : null;
    }
}
