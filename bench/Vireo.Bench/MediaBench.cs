using System.Diagnostics;
using Vireo.Media;

namespace Vireo.Bench;

/// <summary>
/// Frame sampling against FFmpeg's own full decode of the same file, and the measurements behind the
/// decode choices (scaling inside FFmpeg, threads, skipping non-reference frames, seeking for sparse samples).
/// </summary>
internal sealed class MediaBench : IBenchSuite
{
    public string Name => "media";

    public string Description => "frame sampling vs ffmpeg full decode on a generated 2-min 720p30 H.264 file";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var repeats = args.Contains("--quick") ? 1 : 3;
        var video = await GenerateAsync();
        var info = await MediaProbe.ProbeVideoAsync(video);
        report.Context("video", $"{video}: {info.PrimaryVideo!.Width}x{info.PrimaryVideo.Height} {info.PrimaryVideo.FrameRate} fps, {info.Duration:0.0} s, {new FileInfo(video).Length / 1e6:0.0} MB, H.264 (x264 medium, 3 Mb/s, keyint 250)");

        // 1. FFmpeg's own full decode: every frame decoded, nothing converted or written.
        var fullDecode = BenchMachine.Median(repeats, () => TimeProcess("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", video, "-f", "null", "-"));
        report.Add("ffmpeg full decode (-f null)", fullDecode, "s");
        report.Add("ffmpeg full decode real-time factor", info.Duration / fullDecode, "x");

        // 2. Vireo: 1 fps, shorter side 224, default options (every frame decoded: the samples are the frames their times ask for).
        var (sampleSeconds, frames) = await MedianSampleAsync(repeats, video, FrameSampling.AtRate(1), new FrameSamplerOptions { Size = FrameSize.ShorterSide(224) });
        report.Add("vireo sample 1 fps @224 (default)", sampleSeconds, "s", $"{frames} frames");
        report.Add("vireo sample 1 fps @224: frames per second", frames / sampleSeconds, "frames/s");
        report.Add("vireo sample 1 fps @224: real-time factor", info.Duration / sampleSeconds, "x");
        report.Add("ratio: full decode time / vireo 1 fps time", fullDecode / sampleSeconds, "x", "> 1 means sampling is faster");

        var (skipping, _) = await MedianSampleAsync(repeats, video, FrameSampling.AtRate(1), new FrameSamplerOptions { Size = FrameSize.ShorterSide(224), SkipNonReferenceFrames = true });
        report.Add("vireo sample 1 fps @224, opt-in SkipNonReferenceFrames", skipping, "s", $"full decode / this = {fullDecode / skipping:0.00}; moves samples (ingest suite --decode)");
        var (noDeblock, _) = await MedianSampleAsync(repeats, video, FrameSampling.AtRate(1), new FrameSamplerOptions { Size = FrameSize.ShorterSide(224), SkipLoopFilter = true });
        report.Add("vireo sample 1 fps @224, opt-in SkipLoopFilter", noDeblock, "s", $"full decode / this = {fullDecode / noDeblock:0.00}");

        // 3. Decoder threads.
        foreach (var threads in new[] { 1, 2 })
        {
            var (s, _) = await MedianSampleAsync(repeats, video, FrameSampling.AtRate(1), new FrameSamplerOptions { Size = FrameSize.ShorterSide(224), Threads = threads });
            report.Add($"vireo sample 1 fps @224, threads={threads}", s, "s");
        }

        // 4. Where to scale: inside FFmpeg after selection (what Vireo does) vs full-size frames through the pipe.
        var (original, _) = await MedianSampleAsync(repeats, video, FrameSampling.AtRate(1), new FrameSamplerOptions { Size = FrameSize.Original });
        report.Add("vireo sample 1 fps, original 1280x720 through the pipe", original, "s");
        foreach (var algorithm in new[] { "area", "bilinear", "fast_bilinear" })
        {
            var (s, _) = await MedianSampleAsync(repeats, video, FrameSampling.AtRate(1), new FrameSamplerOptions { Size = FrameSize.ShorterSide(224), ScaleAlgorithm = algorithm });
            report.Add($"vireo sample 1 fps @224, scale flags={algorithm}", s, "s");
        }
        // Scaling every frame before selecting (the naive filter order) for comparison.
        var scaleFirst = BenchMachine.Median(repeats, () => TimeProcess("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", video,
            "-vf", "scale=398:224,select='isnan(prev_selected_t)+gt(floor(t),floor(prev_selected_t))'", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-y", "/dev/null"));
        report.Add("ffmpeg scale-then-select (naive order), 1 fps @224", scaleFirst, "s");

        // 5. Key frames only (-skip_frame nokey), for comparison: far fewer samples than asked for.
        foreach (var skip in new[] { "nokey" })
        {
            var s = BenchMachine.Median(repeats, () => TimeProcess("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-skip_frame", skip, "-i", video,
                "-vf", "select='isnan(prev_selected_t)+gt(floor(t),floor(prev_selected_t))',scale=398:224", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-y", "/dev/null"));
            report.Add($"ffmpeg -skip_frame {skip}, 1 fps @224", s, "s", "only key frames: ~1 per 8 s");
        }

        // 6. Sparse sampling: continuous pass vs a seek per sample, by interval.
        foreach (var interval in new[] { 2.0, 5, 10, 20, 30 })
        {
            var rate = FrameSampling.AtRate(1 / interval);
            var (continuous, n) = await MedianSampleAsync(repeats, video, rate, new FrameSamplerOptions { Size = FrameSize.ShorterSide(224), Strategy = DecodeStrategy.Continuous });
            var (seek, _) = await MedianSampleAsync(repeats, video, rate, new FrameSamplerOptions { Size = FrameSize.ShorterSide(224), Strategy = DecodeStrategy.Seek });
            report.Add($"every {interval:0} s ({n} frames): continuous", continuous, "s");
            report.Add($"every {interval:0} s ({n} frames): seek per sample", seek, "s", $"seek/continuous = {seek / continuous:0.00}");
        }

        // 7. Memory: peak working set of this process after all the sampling above.
        using var self = Process.GetCurrentProcess();
        report.Add("peak working set of the bench process", self.PeakWorkingSet64 / 1e6, "MB");
    }

    internal static Task<string> GenerateAsync() =>
        GenerateAsync("bench-720p30-120s-3mbps.mp4", "1280x720", 30, 120, "-c:v", "libx264", "-b:v", "3M", "-maxrate", "4M", "-bufsize", "8M");

    /// <summary>
    /// A test file in the bench folder, generated once: testsrc2 with light film grain so the encoder has real residuals to
    /// code, encoded with <paramref name="codec"/> (the 720p default: x264 preset medium, keyint 250, B-frames, 3 Mb/s, a
    /// typical streaming bit rate).
    /// </summary>
    internal static async Task<string> GenerateAsync(string name, string size, double rate, int seconds, params string[] codec)
    {
        var folder = Path.Combine(Path.GetTempPath(), "vireo-bench");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        if (File.Exists(path))
            return path;
        Console.WriteLine($"# generating the {seconds}-s {size} test file {name} (once)...");
        var partial = path + ".partial" + Path.GetExtension(path);
        string[] arguments = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc2=size={size}:rate={rate.ToString(System.Globalization.CultureInfo.InvariantCulture)}:duration={seconds},noise=alls=6:allf=t",
            .. codec, "-pix_fmt", "yuv420p", partial];
        await Task.Run(() => TimeProcess("ffmpeg", arguments));
        File.Move(partial, path);
        return path;
    }

    private static async Task<(double Seconds, int Frames)> MedianSampleAsync(int repeats, string video, FrameSampling sampling, FrameSamplerOptions options)
    {
        var times = new List<double>();
        var frames = 0;
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            frames = 0;
            await foreach (var frame in FrameSampler.SampleAsync(video, sampling, options))
            {
                frames++;
                frame.Dispose();
            }
            times.Add(watch.Elapsed.TotalSeconds);
        }
        return (BenchMachine.Median(times), frames);
    }

    internal static double TimeProcess(string executable, params string[] arguments)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
            info.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{executable} failed: {error}");
        return watch.Elapsed.TotalSeconds;
    }
}
