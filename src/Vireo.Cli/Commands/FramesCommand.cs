using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Vireo.Imaging;
using Vireo.Media;
using Vireo.Cli.Terminal;

namespace Vireo.Cli.Commands;

/// <summary><c>vireo frames FILE --fps R --out DIR [--size N]</c>: sampled frames as PNG files named by their time.</summary>
internal static class FramesCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "The video file." };
        var fps = new Option<double?>("--fps") { Description = "Samples per second of video (e.g. 1, 0.5). Default 1 unless --at is given." };
        var at = new Option<string?>("--at") { Description = "Comma-separated times in seconds: the first frame at or after each." };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the PNG files (created if missing).", Required = true };
        var size = new Option<string>("--size")
        {
            Description = "Frame size: N (shorter side, aspect kept), xN (longer side), WxH (exact) or 'original'.",
            DefaultValueFactory = _ => "original",
        };
        var strategy = new Option<DecodeStrategy>("--strategy") { Description = "auto, continuous or seek.", DefaultValueFactory = _ => DecodeStrategy.Auto };
        var threads = new Option<int>("--threads") { Description = "Decoder threads (0: FFmpeg decides).", DefaultValueFactory = _ => 0 };
        var json = CommandGuard.JsonOption();
        var command = new Command("frames", "Write sampled frames as PNG images whose names carry their timestamps.")
        {
            file, fps, at, output, size, strategy, threads, json,
        };
        fps.Check(rate => rate is not { } r || OptionChecks.Positive(r), "--fps must be a positive number");
        command.Validators.Add(result =>
        {
            if (result.GetResult(fps) is { Implicit: false } && result.GetResult(at) is { Implicit: false })
                result.AddError("use either --fps or --at, not both");
        });
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, () => RunAsync(console, new Request(
                result.GetRequiredValue(file),
                result.GetRequiredValue(output),
                ParseSampling(result.GetValue(fps), result.GetValue(at)),
                ParseSize(result.GetRequiredValue(size)),
                result.GetValue(strategy),
                result.GetValue(threads),
                asJson), ct));
        });
        return command;
    }

    private sealed record Request(
        string File, string OutputDirectory, FrameSampling Sampling, FrameSize Size, DecodeStrategy Strategy, int Threads, bool Json);

    private sealed record WrittenFrame(int Index, double Timestamp, double RequestedTime, string File);

    private sealed record FramesResult(string File, string OutputDirectory, int Width, int Height, double Duration, double ElapsedSeconds, IReadOnlyList<WrittenFrame> Frames);

    private static async Task<int> RunAsync(CliConsole console, Request request, CancellationToken ct)
    {
        if (File.Exists(request.OutputDirectory))
            throw new CliInputException($"{request.OutputDirectory}: --out must be a folder, and a file has that name", request.OutputDirectory);
        var info = await MediaProbe.ProbeVideoAsync(request.File, cancellationToken: ct).ConfigureAwait(false);
        Directory.CreateDirectory(request.OutputDirectory);
        var options = new FrameSamplerOptions { Size = request.Size, Strategy = request.Strategy, Threads = request.Threads };
        var written = new List<WrittenFrame>();
        var stopwatch = Stopwatch.StartNew();
        var width = 0;
        var height = 0;

        async Task WriteAllAsync(Action<double>? progress)
        {
            await foreach (var frame in FrameSampler.SampleAsync(info, request.Sampling, options, ct).ConfigureAwait(false))
            {
                using (frame)
                {
                    (width, height) = (frame.Width, frame.Height);
                    var name = FrameFileName(frame);
                    PngWriter.WriteRgb24(Path.Combine(request.OutputDirectory, name), frame.Pixels, frame.Width, frame.Height);
                    written.Add(new WrittenFrame(frame.Index, frame.Timestamp, frame.RequestedTime, name));
                    progress?.Invoke(frame.Timestamp);
                }
            }
        }

        if (console.Interactive)
        {
            await console.ErrorConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(CliConsole.ProgressText(Path.GetFileName(request.File)), maxValue: Math.Max(info.Duration, 1e-3));
                    await WriteAllAsync(t => task.Value = Math.Min(t, task.MaxValue)).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
        }
        else
        {
            await WriteAllAsync(null).ConfigureAwait(false);
        }

        var summary = new FramesResult(request.File, request.OutputDirectory, width, height, info.Duration, stopwatch.Elapsed.TotalSeconds, written);
        if (request.Json)
        {
            CliJson.Write(console.Out, summary);
        }
        else
        {
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{written.Count} frames ({width}x{height}) from {request.File} written to {request.OutputDirectory} in {summary.ElapsedSeconds:0.00} s"));
        }
        return ExitCodes.Ok;
    }

    /// <summary>"frame-000012-t0024.033.png": sortable by index, the time in seconds readable in the name.</summary>
    internal static string FrameFileName(VideoFrame frame) =>
        string.Create(CultureInfo.InvariantCulture, $"frame-{frame.Index:D6}-t{frame.Timestamp:0000.000}.png");

    private static FrameSampling ParseSampling(double? fps, string? at)
    {
        if (at is null)
            return FrameSampling.AtRate(fps ?? 1.0);
        var times = new List<double>();
        foreach (var part in at.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || !double.IsFinite(t) || t < 0)
                throw new CliInputException($"--at: '{part}' is not a time in seconds");
            times.Add(t);
        }
        if (times.Count == 0)
            throw new CliInputException("--at: no time given");
        return FrameSampling.AtTimestamps(times);
    }

    private static FrameSize ParseSize(string text)
    {
        try
        {
            return FrameSize.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliInputException("--size: " + e.Message);
        }
    }
}
