using System.Diagnostics;
using Vireo.Media;
using Vireo.TimedText.Ocr;
using Vireo.TimedText.Subtitles;

namespace Vireo.Bench;

/// <summary>
/// What the timed-text channels cost (issue 16): the subtitles channel per hour of video (embedded tracks and sidecar
/// files), ingest's real-time factor with no channel, subtitles, and subtitles + on-screen text, and query latency
/// with the pictures alone against pictures + subtitles + on-screen text, with the FTS5 lexical stage on its own.
/// </summary>
internal sealed class ChannelsBench : IBenchSuite
{
    public string Name => "channels";

    public string Description => "timed-text channels: subtitle cost per video hour, ingest real-time factor and query latency per channel set";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var quick = args.Contains("--quick");
        report.Context("load_average_at_start", BenchMachine.LoadAverage());
        var tesseract = TesseractInstalled();
        report.Context("tesseract", tesseract ? TesseractTool.Default.ExecutablePath : "not installed: the ocr figures are skipped");

        await SubtitleCostAsync(await ChannelsInputs.EnsureAsync(), quick ? 3 : 7, report);
        using var model = await LibraryBench.LoadVitB32Async(ChannelsInputs.WorkFolder, report);
        await ChannelsIngest.RunAsync(model, tesseract, report);
        await ChannelsQuery.RunAsync(model, tesseract, quick, report);
        report.Context("load_average_at_end", BenchMachine.LoadAverage());
    }

    private static async Task SubtitleCostAsync(ChannelsInputs inputs, int repeats, BenchReport report)
    {
        await MeasureAsync(report, "subtitles, embedded mov_text (1 h MP4)", inputs.Mp4MovText, new SubtitleChannelOptions { Sidecars = false }, inputs, repeats);
        var probed = await MediaProbe.ProbeAsync(inputs.Mp4MovText);
        await MeasureAsync(report, "subtitles, mov_text, already probed (as in ingest)", inputs.Mp4MovText, new SubtitleChannelOptions { Sidecars = false }, inputs, repeats, probed);
        await MeasureAsync(report, "subtitles, embedded SubRip (1 h MKV)", inputs.MkvSubRip, new SubtitleChannelOptions { Sidecars = false }, inputs, repeats);
        await MeasureAsync(report, "subtitles, .srt sidecar (1 h)", inputs.WithSidecar, new SubtitleChannelOptions { Embedded = false }, inputs, repeats);
        var probe = BenchMachine.Median(repeats, () => BenchMachine.Seconds(() => MediaProbe.ProbeAsync(inputs.Mp4MovText).GetAwaiter().GetResult()));
        report.Add("probing a file (ffprobe), part of an embedded read", probe * 1000, "ms", $"{probed.SubtitleStreams.Count} subtitle stream");
    }

    private static async Task MeasureAsync(BenchReport report, string name, string video, SubtitleChannelOptions options, ChannelsInputs inputs, int repeats, MediaInfo? media = null)
    {
        var times = new List<double>();
        var cues = 0;
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            var reading = await SubtitleChannel.ReadAsync(video, media, options);
            times.Add(watch.Elapsed.TotalSeconds);
            cues = reading.Entries.Count;
        }
        var seconds = BenchMachine.Median(times);
        report.Add($"{name}: seconds per video hour", seconds / inputs.Hours, "s/h", $"median of {repeats}; {cues} cues of {inputs.Cues}");
        report.Add($"{name}: cues per second", cues / seconds, "cues/s");
    }

    private static bool TesseractInstalled()
    {
        try
        {
            TesseractTool.Default.EnsureAvailable();
            return true;
        }
        catch (Exception e) when (e is Vireo.Errors.VireoException or InvalidOperationException)
        {
            return false;
        }
    }
}
