using Vireo.Ingest;
using Vireo.Library;
using Vireo.Models;
using Vireo.Synthetic;
using Vireo.Synthetic.Whisper;
using Vireo.TimedText;

namespace Vireo.Bench;

/// <summary>
/// Ingest's real-time factor on the shared videos (../shared/data/videos) per channel set: none, subtitles,
/// subtitles + on-screen text (when Tesseract is installed), all three channels (speech with the tiny generated Whisper
/// model: the cost of the path, not of a real model's transcription; the speech suite measures a real model when given
/// one). Each set indexes into a fresh library; every entry read is also embedded by the sentence model.
/// </summary>
internal static class ChannelsIngest
{
    public static async Task RunAsync(EmbeddingModel model, bool tesseract, BenchReport report)
    {
        var videos = SharedVideos();
        await IngestAsync(model, "warm-up", [videos[0]], []); // JIT and ONNX Runtime's first runs, not reported
        var sets = new List<(string Name, TextChannel[] Channels)> { ("none", []), ("subtitles", [TextChannel.Subtitles]) };
        if (tesseract)
        {
            sets.Add(("subtitles+ocr", [TextChannel.Subtitles, TextChannel.Ocr]));
            sets.Add(("subtitles+ocr+speech (tiny generated Whisper)", [TextChannel.Subtitles, TextChannel.Ocr, TextChannel.Speech]));
        }
        var whisper = TinyWhisperModel.Write(Path.Combine(ChannelsInputs.WorkFolder, "ggml-tiny-random.bin"));
        foreach (var (name, channels) in sets)
        {
            var run = await IngestAsync(model, name, videos, channels, speechModel: whisper);
            var entries = run.ChannelReads.Sum(r => r.Entries);
            report.Add($"ingest {videos.Count} shared videos, channels {name}: real-time factor", run.RealTimeFactor, "x",
                $"{run.SecondsIndexed:0.0} s of video in {run.Elapsed.TotalSeconds:0.0} s; {entries} timed-text entries; load {BenchMachine.LoadAverage()}");
        }
    }

    /// <summary>The videos of ../shared/data/videos.</summary>
    public static List<string> SharedVideos()
    {
        var talk = SharedFiles.Require("data/videos/talk.mp4", "the channels suite's ingest and query figures");
        return [.. Directory.GetFiles(Path.GetDirectoryName(talk)!, "*.mp4").Order()];
    }

    /// <summary>Indexes <paramref name="videos"/> into a fresh library <c>channels-ingest-NAME</c> and returns the report.</summary>
    public static async Task<IngestReport> IngestAsync(EmbeddingModel model, string name, IReadOnlyList<string> videos, TextChannel[] channels, string? directory = null,
        string? speechModel = null)
    {
        directory ??= Path.Combine(ChannelsInputs.WorkFolder, "channels-ingest-" + name.Split(' ')[0]);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        var options = new IngestOptions { Channels = new HashSet<TextChannel>(channels), SpeechModel = speechModel, Speech = new() { TemperatureFallback = false } };
        var run = await new LibraryIngest(VideoLibrary.Open(directory), model, options).RunAsync(videos);
        if (run.Failures.Count > 0 || run.ChannelFailures.Count > 0)
            throw new InvalidOperationException($"ingest {name} failed: {string.Join("; ", run.Failures.Select(f => f.Error).Concat(run.ChannelFailures))}");
        return run;
    }
}
