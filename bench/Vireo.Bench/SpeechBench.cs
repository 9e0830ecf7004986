using System.Diagnostics;
using Vireo.Media;
using Vireo.Synthetic;
using Vireo.Synthetic.Whisper;
using Vireo.TimedText.Speech;

namespace Vireo.Bench;

/// <summary>
/// The speech channel on talk.mp4 (49 s of narration): audio decoding alone, then whole transcriptions with the tiny
/// generated Whisper model (timing and memory of the path, not of a real model) and, given one, a real model.
/// </summary>
internal sealed class SpeechBench : IBenchSuite
{
    public string Name => "speech";

    public string Description => "speech channel: audio decode speed, real-time factor and memory of Whisper on talk.mp4 (--model GGML for a real model)";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var video = SharedFiles.Require("data/videos/talk.mp4", "the speech suite");
        var realModel = args.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault() ?? Environment.GetEnvironmentVariable("VIREO_WHISPER_MODEL");
        report.Context("load_average_at_start", BenchMachine.LoadAverage());
        report.Context("whisper_runtime", SpeechModel.RuntimeInfo().Trim());

        var media = await MediaProbe.ProbeAsync(video).ConfigureAwait(false);
        var decode = Stopwatch.StartNew();
        var audio = new SpeechAudio(media, media.AudioStreams[0], new SpeechOptions());
        await foreach (var _ in audio.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
        }
        report.Add("decode to 16 kHz mono float (FFmpeg pipe)", audio.DeliveredSeconds / decode.Elapsed.TotalSeconds, "x realtime", $"{audio.DeliveredSeconds:0.0} s of audio");
        report.Add("audio buffer held per chunk (default 300 s)", new SpeechOptions().ChunkSeconds * SpeechAudio.SampleRate * sizeof(float) / 1e6, "MB", "the whole decoded audio is never held");

        var folder = Directory.CreateTempSubdirectory("vireo-speech-bench-");
        try
        {
            var tiny = TinyWhisperModel.Write(Path.Combine(folder.FullName, "ggml-tiny-random.bin"));
            report.Add("tiny generated model file", new FileInfo(tiny).Length / 1e6, "MB", "1 layer, width 32, multilingual vocabulary, f16");
            await Transcribe(report, tiny, video, "tiny random model, fallback off", new SpeechOptions { TemperatureFallback = false }).ConfigureAwait(false);
            await Transcribe(report, tiny, video, "tiny random model, defaults", new SpeechOptions()).ConfigureAwait(false);
            if (realModel is not null)
                await Transcribe(report, new SpeechModelStore().Resolve(realModel), video, "real model " + Path.GetFileName(realModel), new SpeechOptions()).ConfigureAwait(false);
            else
                Console.WriteLine("# no real Whisper model (--model GGML or VIREO_WHISPER_MODEL): real-model figures skipped");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task Transcribe(BenchReport report, string modelPath, string video, string label, SpeechOptions options)
    {
        var before = Process.GetCurrentProcess().WorkingSet64;
        using var model = SpeechModel.Open(modelPath);
        var transcript = await SpeechChannel.TranscribeAsync(video, model, options).ConfigureAwait(false);
        using var process = Process.GetCurrentProcess();
        report.Add($"{label}: real-time factor", transcript.RealTimeFactor, "s/s", $"{transcript.Segments.Count} segments, {options.EffectiveThreads} threads, {transcript.Elapsed.TotalSeconds:0.0} s");
        report.Add($"{label}: working set", process.WorkingSet64 / 1e6, "MB", $"process peak {process.PeakWorkingSet64 / 1e6:0} MB; {before / 1e6:0} MB before loading");
    }
}
