using Vireo.Embedding;
using Vireo.Media;
using Vireo.Models;

namespace Vireo.Bench;

/// <summary>
/// Where ingest's CPU goes and how the pipeline uses the cores, on the bench's 2-minute 720p30 H.264 file with the
/// ViT-B/32-compute model: each stage alone (FFmpeg decode with each decode option, exact CLIP preprocessing, the image
/// encoder at 1 and 2 threads and several batch sizes) in CPU seconds, then the whole pipeline.
/// </summary>
internal sealed class IngestBench : IBenchSuite
{
    public string Name => "ingest";

    public string Description => "ingest profile: CPU seconds per stage (decode, preprocess, encode) and the pipeline's use of the cores";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var work = Path.Combine(Path.GetTempPath(), "vireo-bench");
        report.Context("load_average_at_start", BenchMachine.LoadAverage());
        var video = await MediaBench.GenerateAsync();
        if (args.Contains("--profile"))
            await ProfileAsync(work, video, report);
        if (args.Contains("--pipeline"))
            await PipelineAsync(work, video, report, args.Contains("--quick") ? 1 : 2);
        report.Context("load_average_at_end", BenchMachine.LoadAverage());
    }

    /// <summary>Pipeline configurations on the same file, interleaved round by round so the machine's load hits them alike.</summary>
    private static async Task PipelineAsync(string work, string video, BenchReport report, int rounds)
    {
        using var model = await LibraryBench.LoadVitB32Async(work, report); // 2 intra-op threads, as the bench loads it
        var configs = new (string Name, EmbeddingOptions Options)[]
        {
            ("model session (2 threads), ffmpeg auto, batch 16, noref", new() { Encoder = EncoderMode.Model, BatchSize = 16, SkipNonReferenceFrames = true }),
            ("parallel 2x1 thread, ffmpeg 1, batch 8, noref", new() { Encoder = EncoderMode.Parallel, BatchSize = 8, SkipNonReferenceFrames = true }),
            ("parallel 2x1 thread, ffmpeg 1, batch 16, noref", new() { Encoder = EncoderMode.Parallel, BatchSize = 16, SkipNonReferenceFrames = true }),
            ("parallel 2x1 thread, ffmpeg 1, batch 8, exact", new() { Encoder = EncoderMode.Parallel, BatchSize = 8, SkipNonReferenceFrames = false }),
            ("parallel 1x1 thread, ffmpeg 1, batch 8, exact", new() { Encoder = EncoderMode.Parallel, Threads = 1, BatchSize = 8, SkipNonReferenceFrames = false }),
        };
        var results = configs.Select(_ => new List<CpuSpan>()).ToList();
        var duration = 0.0;
        for (var round = 0; round < rounds; round++)
        {
            for (var c = 0; c < configs.Length; c++)
            {
                var start = CpuClock.Now();
                var embedded = await new VideoEmbedder(model, configs[c].Options).EmbedAsync(video);
                results[c].Add(CpuClock.Now().Since(start));
                duration = embedded.Info.Duration;
            }
        }
        for (var c = 0; c < configs.Length; c++)
        {
            var best = results[c].MinBy(r => r.Wall);
            var cpu = BenchMachine.Median(results[c].Select(r => r.Cpu));
            report.Add($"pipeline: {configs[c].Name}: real-time factor", duration / best.Wall, "x",
                $"best of {rounds}; CPU {cpu:0.0} s (median; FFmpeg {best.Children:0.0}), CPU share {best.Share:0.00}; load {BenchMachine.LoadAverage()}");
        }
    }

    private static async Task ProfileAsync(string work, string video, BenchReport report)
    {
        var info = await MediaProbe.ProbeVideoAsync(video);
        var size = FrameSize.ShorterSide(224);
        // Decode alone: FFmpeg's CPU (children) and the .NET side reading the pipe (process).
        foreach (var (name, options) in new (string, FrameSamplerOptions)[]
        {
            ("decode 1 fps exact, threads 1", new() { Size = size, Threads = 1, SkipNonReferenceFrames = false }),
            ("decode 1 fps exact, threads auto", new() { Size = size, SkipNonReferenceFrames = false }),
            ("decode 1 fps skip noref, threads 1", new() { Size = size, Threads = 1, SkipNonReferenceFrames = true }),
            ("decode 1 fps skip noref, threads auto", new() { Size = size, SkipNonReferenceFrames = true }),
        })
        {
            var start = CpuClock.Now();
            var frames = 0;
            await foreach (var frame in FrameSampler.SampleAsync(info, FrameSampling.AtRate(1), options))
            {
                frames++;
                frame.Dispose();
            }
            var span = CpuClock.Now().Since(start);
            report.Add($"profile: {name}: FFmpeg CPU", span.Children, "s", $"{frames} frames; .NET side {span.Process:0.00} s; wall {span.Wall:0.00} s; load {BenchMachine.LoadAverage()}");
        }

        using var model = await LibraryBench.LoadVitB32Async(work, report);
        var frameList = new List<VideoFrame>();
        await foreach (var frame in FrameSampler.SampleAsync(info, FrameSampling.AtRate(1), new FrameSamplerOptions { Size = size, SkipNonReferenceFrames = false }))
            frameList.Add(frame);
        var pixels = new float[frameList.Count * model.Image.ImageLength];
        {
            var start = CpuClock.Now();
            for (var i = 0; i < frameList.Count; i++)
                model.Image.Preprocessor.Preprocess(frameList[i], pixels.AsSpan(i * model.Image.ImageLength, model.Image.ImageLength));
            var span = CpuClock.Now().Since(start);
            report.Add("profile: exact CLIP preprocessing of the 120 frames", span.Process, "s", $"{frameList[0].Width}x{frameList[0].Height} -> 224x224; {frameList.Count / span.Process:0} frames/CPU-s");
        }
        foreach (var frame in frameList)
            frame.Dispose();

        foreach (var threads in new[] { 1, 2 })
        {
            using var encoder = EmbeddingModel.Load(model.Files.Root, new EncoderOptions { IntraOpThreads = threads, BatchSize = 64 });
            encoder.Image.Encode(pixels, 4);
            foreach (var batch in new[] { 1, 4, 8, 16 })
            {
                var count = batch == 1 ? 16 : 32;
                var start = CpuClock.Now();
                for (var i = 0; i < count; i += batch)
                    encoder.Image.Encode(pixels.AsSpan(i * model.Image.ImageLength, batch * model.Image.ImageLength).ToArray(), batch);
                var span = CpuClock.Now().Since(start);
                report.Add($"profile: encode {threads} thread(s), batch {batch}: images per CPU-s", count / span.Process, "images/s",
                    $"{count / span.Wall:0.00} images per wall-s; load {BenchMachine.LoadAverage()}");
            }
        }
    }
}
