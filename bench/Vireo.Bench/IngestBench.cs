using Vireo.Embedding;
using Vireo.Grounding;
using Vireo.Grounding.Signals;
using Vireo.Synthetic;
using Vireo.Synthetic.Clip;
using Vireo.Media;
using Vireo.Models;
using Vireo.Models.Tokenization;
using Vireo.Synthetic.Concepts;
using Vireo.Synthetic.Layouts;
using Vireo.Temporal;

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
        if (args.Contains("--decode"))
            await DecodeOptionsAsync(video, report);
        if (args.Contains("--rates"))
            await RatesAsync(work, video, report, args.Contains("--quick") ? 1 : 2);
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
            ("main's: model session (2 threads), ffmpeg auto, batch 16, skip noref", new() { Encoder = EncoderMode.Model, BatchSize = 16, SkipNonReferenceFrames = true }),
            ("model session (2 threads), ffmpeg auto, batch 16, exact", new() { Encoder = EncoderMode.Model, BatchSize = 16 }),
            ("parallel 2x1 thread, ffmpeg 1, batch 4, exact", new() { Encoder = EncoderMode.Parallel, BatchSize = 4 }),
            ("parallel 2x1 thread, ffmpeg 1, batch 8, exact", new() { Encoder = EncoderMode.Parallel, BatchSize = 8 }),
            ("parallel 2x1 thread, ffmpeg 1, batch 16, exact", new() { Encoder = EncoderMode.Parallel, BatchSize = 16 }),
            ("parallel 2x1 thread, ffmpeg 2 threads, batch 8, exact", new() { Encoder = EncoderMode.Parallel, BatchSize = 8, DecodeThreads = 2 }),
            ("parallel 1x1 thread, ffmpeg 1, batch 8, exact", new() { Encoder = EncoderMode.Parallel, Threads = 1, BatchSize = 8 }),
            ("parallel 2x1 thread, ffmpeg 1, batch 8, skip noref (opt-in)", new() { Encoder = EncoderMode.Parallel, BatchSize = 8, SkipNonReferenceFrames = true }),
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

    /// <summary>
    /// The sampling rate as a measured choice: grounding accuracy on planted moments (the concept model, which sees the
    /// planted colours) and ingest speed (the ViT-B/32-compute model, 720p file) at 0.5, 1 and 2 frames per second, all
    /// with 2-s clips (1, 2 and 4 frames per clip).
    /// </summary>
    private static async Task RatesAsync(string work, string video, BenchReport report, int rounds)
    {
        var merges = SharedFiles.Require(SharedFiles.ClipMerges, "the concept model (CLIP's merges)");
        var vocabulary = ClipVocabulary.FromOpenAiMerges(merges);
        var conceptFolder = Path.Combine(work, "concept-model");
        if (!File.Exists(Path.Combine(conceptFolder, "onnx", "vision_model.onnx")))
        {
            await ModelFolders.WriteHuggingFaceAsync(ConceptClip.FromVocabulary(vocabulary), conceptFolder, TokenizerSource.FromVocabulary(vocabulary),
                new HuggingFaceLayoutOptions { Precisions = [WeightPrecision.Float32] });
        }
        var planted = await PlantedMoments.WriteAsync(Path.Combine(work, "planted"), videos: 8, seconds: 90);
        using var concepts = EmbeddingModel.Load(conceptFolder, new EncoderOptions { IntraOpThreads = 1 });
        var grounder = new ZeroShotGrounder();
        int[] framesPerClip = [1, 2, 4];
        foreach (var frames in framesPerClip)
        {
            var embedder = new VideoEmbedder(concepts, new EmbeddingOptions { ClipLength = 2, FramesPerClip = frames });
            var ious = new List<double>();
            foreach (var group in planted.GroupBy(p => p.Video))
            {
                var embedded = await embedder.EmbedAsync(group.Key);
                var grounding = new GroundingVideo(embedded.Clips, embedded.Grid);
                foreach (var moment in group)
                {
                    var result = grounder.Ground(grounding, concepts.Text.EncodeQuery(moment.Word));
                    ious.Add(result.Moments.Count == 0 ? 0 : TemporalWindow.IoUOf(result.Moments[0].Start, result.Moments[0].End, moment.Start, moment.End));
                }
            }
            report.Add($"rate {frames / 2.0:0.#} frame/s ({frames} per 2-s clip): planted moments R1@0.5", 100.0 * ious.Count(i => i >= 0.5) / ious.Count, "%",
                $"{ious.Count} queries, R1@0.7 {100.0 * ious.Count(i => i >= 0.7) / ious.Count:0.0}%, mIoU {100 * ious.Average():0.0}%, " +
                $"moments {PlantedMoments.MinLength:0.#}-{PlantedMoments.MaxLength:0.#} s");
        }

        using var model = await LibraryBench.LoadVitB32Async(work, report);
        var spans = framesPerClip.Select(_ => new List<CpuSpan>()).ToList();
        var duration = 0.0;
        for (var round = 0; round < rounds; round++)
        {
            for (var r = 0; r < framesPerClip.Length; r++)
            {
                var start = CpuClock.Now();
                var embedded = await new VideoEmbedder(model, new EmbeddingOptions { ClipLength = 2, FramesPerClip = framesPerClip[r] }).EmbedAsync(video);
                spans[r].Add(CpuClock.Now().Since(start));
                duration = embedded.Info.Duration;
            }
        }
        for (var r = 0; r < framesPerClip.Length; r++)
        {
            var best = spans[r].MinBy(x => x.Wall);
            report.Add($"rate {framesPerClip[r] / 2.0:0.#} frame/s: ingest real-time factor, 720p30 H.264", duration / best.Wall, "x",
                $"best of {rounds}; CPU {BenchMachine.Median(spans[r].Select(x => x.Cpu)):0.0} s (median), share {best.Share:0.00}; load {BenchMachine.LoadAverage()}");
        }
    }

    /// <summary>
    /// Test files of each codec Debian's FFmpeg decodes, 30 s at 720p: x264 with a camera-like GOP (29.97 fps, a key frame
    /// every second, B-frames that nothing references), x265, VP9 and AV1 (SVT-AV1) at their defaults.
    /// </summary>
    internal static async Task<List<(string Label, string Path)>> CodecFilesAsync()
    {
        var files = new List<(string, string)> { ("H.264 x264 medium, keyint 250, 30 fps (bench file)", await MediaBench.GenerateAsync()) };
        files.Add(("H.264 camera-like: 29.97 fps, 1-s GOP, non-reference B-frames", await MediaBench.GenerateAsync("codec-h264-camera-720p.mp4", "1280x720", 30000.0 / 1001, 30,
            "-c:v", "libx264", "-b:v", "4M", "-x264-params", "keyint=30:min-keyint=30:bframes=2:b-pyramid=none")));
        files.Add(("HEVC x265 medium, 25 fps", await MediaBench.GenerateAsync("codec-hevc-720p.mp4", "1280x720", 25, 30, "-c:v", "libx265", "-b:v", "2M", "-x265-params", "log-level=error", "-tag:v", "hvc1")));
        files.Add(("VP9 libvpx (good, cpu-used 4), 30 fps", await MediaBench.GenerateAsync("codec-vp9-720p.webm", "1280x720", 30, 30, "-c:v", "libvpx-vp9", "-b:v", "2M", "-cpu-used", "4", "-row-mt", "1")));
        files.Add(("AV1 SVT-AV1 preset 10, 30 fps", await MediaBench.GenerateAsync("codec-av1-720p.mp4", "1280x720", 30, 30, "-c:v", "libsvtav1", "-b:v", "2M", "-preset", "10")));
        return files;
    }

    /// <summary>
    /// Each decode option on each codec, at 1 frame per second: FFmpeg's CPU, and what it does to the frames delivered
    /// compared with decoding every frame: how many samples are a different frame (a later one, when the frame the time
    /// asks for is skipped), by how much, and how far the pixels of the delivered frames are from the exact ones.
    /// </summary>
    private static async Task DecodeOptionsAsync(string bench, BenchReport report)
    {
        var size = FrameSize.ShorterSide(224);
        foreach (var (label, path) in await CodecFilesAsync())
        {
            var info = await MediaProbe.ProbeVideoAsync(path);
            var exact = await SampleAsync(info, new FrameSamplerOptions { Size = size, Threads = 1, SkipUnsampledPictures = false });
            report.Add($"decode {label}: every picture, FFmpeg CPU", exact.Cpu.Children, "s",
                $"{exact.Frames.Count} frames from {info.Duration:0} s ({info.Duration / exact.Cpu.Children:0.0}x real time per core); load {BenchMachine.LoadAverage()}");
            foreach (var (name, options) in new (string, FrameSamplerOptions)[]
            {
                ("packet relay (default): unsampled non-reference pictures left out", new() { Size = size, Threads = 1 }),
                ("-skip_frame noref", new() { Size = size, Threads = 1, SkipNonReferenceFrames = true }),
                ("-skip_loop_filter all", new() { Size = size, Threads = 1, SkipNonReferenceFrames = false, SkipLoopFilter = true }),
                ("both", new() { Size = size, Threads = 1, SkipNonReferenceFrames = true, SkipLoopFilter = true }),
            })
            {
                var run = await SampleAsync(info, options);
                var (moved, offset, difference, worst) = Compare(exact.Frames, run.Frames);
                report.Add($"decode {label}: {name}, FFmpeg CPU", run.Cpu.Children, "s",
                    $"{run.Cpu.Children / exact.Cpu.Children:0.00} of every picture (this process: {run.Cpu.Process:0.00} s vs {exact.Cpu.Process:0.00} s); " +
                    $"{moved}/{run.Frames.Count} samples another frame (mean {offset * 1000:0} ms later); " +
                    $"pixels vs exact: mean |diff| {difference:0.00}, worst frame {worst:0.00} (0-255)");
            }
        }
        // Sparse rates on a short GOP: a seek per sample decodes from the key frame before it (at most a second here).
        var camera = (await CodecFilesAsync())[1].Path;
        var cameraInfo = await MediaProbe.ProbeVideoAsync(camera);
        foreach (var interval in new[] { 2.0, 5, 10 })
        {
            var continuous = await SampleAsync(cameraInfo, new FrameSamplerOptions { Size = size, Threads = 1, Strategy = DecodeStrategy.Continuous }, 1 / interval);
            var seek = await SampleAsync(cameraInfo, new FrameSamplerOptions { Size = size, Threads = 1, Strategy = DecodeStrategy.Seek }, 1 / interval);
            var (moved, _, difference, _) = Compare(continuous.Frames, seek.Frames);
            report.Add($"decode camera-like 1-s GOP, one sample every {interval:0} s: seek per sample / continuous, FFmpeg CPU", seek.Cpu.Children / continuous.Cpu.Children, "ratio",
                $"continuous {continuous.Cpu.Children:0.00} s, seek {seek.Cpu.Children:0.00} s; {moved}/{seek.Frames.Count} samples another frame, mean |diff| {difference:0.00}");
        }
        _ = bench;
    }

    private static async Task<(List<(double Time, byte[] Rgb)> Frames, CpuSpan Cpu)> SampleAsync(MediaInfo info, FrameSamplerOptions options, double rate = 1)
    {
        var frames = new List<(double, byte[])>();
        var start = CpuClock.Now();
        await foreach (var frame in FrameSampler.SampleAsync(info, FrameSampling.AtRate(rate), options))
        {
            using (frame)
                frames.Add((frame.Timestamp, frame.Pixels.ToArray()));
        }
        return (frames, CpuClock.Now().Since(start));
    }

    /// <summary>Samples whose frame differs in time, their mean delay, and the mean and worst per-frame mean absolute pixel difference.</summary>
    private static (int Moved, double MeanOffset, double MeanDifference, double Worst) Compare(List<(double Time, byte[] Rgb)> exact, List<(double Time, byte[] Rgb)> run)
    {
        var moved = 0;
        var offsets = 0.0;
        var total = 0.0;
        var worst = 0.0;
        var count = Math.Min(exact.Count, run.Count);
        for (var i = 0; i < count; i++)
        {
            if (Math.Abs(exact[i].Time - run[i].Time) > 1e-6)
            {
                moved++;
                offsets += run[i].Time - exact[i].Time;
            }
            long sum = 0;
            var a = exact[i].Rgb;
            var b = run[i].Rgb;
            for (var p = 0; p < a.Length; p++)
                sum += Math.Abs(a[p] - b[p]);
            var mean = sum / (double)a.Length;
            total += mean;
            worst = Math.Max(worst, mean);
        }
        return (moved, moved > 0 ? offsets / moved : 0, count > 0 ? total / count : 0, worst);
    }

    private static async Task ProfileAsync(string work, string video, BenchReport report)
    {
        var info = await MediaProbe.ProbeVideoAsync(video);
        var size = FrameSize.ShorterSide(224);
        // Decode alone: FFmpeg's CPU (children) and the .NET side reading the pipe (process).
        foreach (var (name, options) in new (string, FrameSamplerOptions)[]
        {
            ("decode 1 fps every picture, threads 1", new() { Size = size, Threads = 1, SkipUnsampledPictures = false }),
            ("decode 1 fps every picture, threads auto", new() { Size = size, SkipUnsampledPictures = false }),
            ("decode 1 fps packet relay (default), threads 1", new() { Size = size, Threads = 1 }),
            ("decode 1 fps packet relay (default), threads 2", new() { Size = size, Threads = 2 }),
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
        await foreach (var frame in FrameSampler.SampleAsync(info, FrameSampling.AtRate(1), new FrameSamplerOptions { Size = size }))
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
