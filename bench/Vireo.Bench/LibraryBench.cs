using System.Diagnostics;
using Vireo.Embedding;
using Vireo.Grounding;
using Vireo.Library;
using Vireo.Ingest;
using Vireo.Media;
using Vireo.Models;
using Vireo.Models.Tokenization;
using Vireo.Retrieval;
using Vireo.Synthetic;
using Vireo.Synthetic.Layouts;
using Vireo.Vectors;
using Vireo.Temporal;

namespace Vireo.Bench;

/// <summary>
/// The main job at scale, with a model of ViT-B/32's architecture and compute: (1) ingest of a real 2-minute 720p
/// H.264 file (real-time factor, CPU use of the pipeline); (2) text-query latency on a library equivalent to
/// 10,000 hours of video (120,000 five-minute videos, 18 million synthetic clip embeddings stored in the catalog,
/// 1.3 million coarse vectors behind the approximate index), including text encoding.
/// </summary>
internal sealed class LibraryBench : IBenchSuite
{
    private const int Dimension = 512;
    internal const int ClipsPerVideo = 150;
    private const int EventLength = 15;

    public string Name => "library";

    public string Description => "ingest real-time factor and 10,000-hour library query latency with the ViT-B/32-compute model";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var hours = args.SkipWhile(a => a != "--hours").Skip(1).Select(double.Parse).FirstOrDefault(10_000);
        var queries = args.Contains("--quick") ? 30 : 200;
        report.Context("load_average_at_start", BenchMachine.LoadAverage());
        var work = Path.Combine(Path.GetTempPath(), "vireo-bench");
        var variant = args.SkipWhile(a => a != "--variant").Skip(1).Select(v => Enum.Parse<ModelVariant>(v, ignoreCase: true)).FirstOrDefault(ModelVariant.Default);
        var folder = await EnsureVitB32Async(work, variant);
        if (!args.Contains("--skip-ingest"))
            await IngestAsync(folder, variant, work, report, args.Contains("--quick") ? 1 : 2); // before the query model is loaded: memory figures are the runs' own
        using var model = await LoadVitB32Async(work, report, variant);
        await QueryLatencyAsync(model, work, hours, queries, report);
        report.Context("load_average_at_end", BenchMachine.LoadAverage());
    }

    /// <summary>The model of ViT-B/32's architecture and compute with random weights, written into <paramref name="work"/> once.</summary>
    internal static async Task<EmbeddingModel> LoadVitB32Async(string work, BenchReport report, ModelVariant variant = ModelVariant.Default)
    {
        var modelFolder = await EnsureVitB32Async(work, variant);
        var model = EmbeddingModel.Load(modelFolder, new EncoderOptions { IntraOpThreads = Environment.ProcessorCount, Variant = variant });
        report.Context("model", $"{model.Identity} (ViT-B/32 architecture and compute, random weights), variant {variant}");
        return model;
    }

    /// <summary>
    /// The folder of the ViT-B/32-compute model, written into <paramref name="work"/> once; its int8 files too
    /// (<c>vireo models quantize</c>'s writer) the first time the quantized variant is asked for.
    /// </summary>
    internal static async Task<string> EnsureVitB32Async(string work, ModelVariant variant = ModelVariant.Default)
    {
        var modelFolder = Path.Combine(work, "vit-b32-model");
        if (!File.Exists(Path.Combine(modelFolder, "onnx", "vision_model.onnx")))
        {
            var merges = SharedFiles.Require(SharedFiles.ClipMerges, "the ViT-B/32-compute model (CLIP's merges for the tokenizer files)");
            await BenchmarkModels.WriteVitB32Async(modelFolder, TokenizerSource.FromVocabulary(ClipVocabulary.FromOpenAiMerges(merges)));
        }
        if (variant == ModelVariant.Quantized && !File.Exists(Path.Combine(modelFolder, "onnx", "vision_model_quantized.onnx")))
            await ModelQuantizer.QuantizeAsync(modelFolder);
        return modelFolder;
    }

    /// <summary>
    /// Vireo's ingest of the 2-minute 720p30 H.264 file at the library's default rate beside the naive peer
    /// (<see cref="NaivePeer"/>) on the same file and model, interleaved round by round; then 1080p and 4K files.
    /// </summary>
    private static async Task IngestAsync(string folder, ModelVariant variant, string work, BenchReport report, int rounds)
    {
        var video = await MediaBench.GenerateAsync();
        var rate = new IngestOptions().Embedding.FramesPerClip / new IngestOptions().Embedding.ClipLength;
        var vireo = new List<CliIngest.Run>();
        var peer = new List<(int Frames, CpuSpan Cpu, long Memory)>();
        // Each round runs the peer (its model loaded with ONNX Runtime's default threads, one per core, as a script would)
        // and then `vireo index` in its own process, so that each run's peak memory is its own.
        var variantName = variant == ModelVariant.Default ? null : variant.ToString().ToLowerInvariant();
        for (var round = 0; round < rounds; round++)
        {
            using (var peerModel = EmbeddingModel.Load(folder, new EncoderOptions { IntraOpThreads = Environment.ProcessorCount, Variant = variant }))
                peer.Add(Measure(() => NaivePeer.Run(peerModel, video, rate)));
            vireo.Add(CliIngest.Index(video, folder, variantName, work));
        }
        var best = vireo.MinBy(v => v.Elapsed)!;
        var bestPeer = peer.MinBy(p => p.Cpu.Wall);
        var frames = (int)Math.Round(best.SecondsIndexed * rate);
        var load = BenchMachine.LoadAverage();
        report.Add($"vireo index 2-min 720p30 H.264, {rate:0.##} frame/s: ingest wall time", best.Elapsed, "s", $"best of {rounds}; {frames} frames encoded; load {load}");
        report.Add("ingest real-time factor (video seconds per wall second)", best.RealTimeFactor, "x", $"best of {rounds}; median {BenchMachine.Median(vireo.Select(v => v.RealTimeFactor)):0.0}; as vireo index reports it");
        report.Add("ingest frames per second", frames / best.Elapsed, "frames/s");
        report.Add("vireo index CPU use (process + FFmpeg) / (wall x cores)", best.Cpu.Share, "share",
            $"whole command: CPU {best.Cpu.Cpu:0.0} s in {best.Cpu.Wall:0.0} s (model loading and catalog included)");
        report.Add("vireo index peak memory (process + FFmpeg)", best.PeakBytes / 1e6, "MB");
        var peerFactor = best.SecondsIndexed / bestPeer.Cpu.Wall;
        report.Add("naive peer (ffmpeg fps filter | same model, serial): real-time factor", peerFactor, "x",
            $"best of {rounds}; {bestPeer.Frames} frames; CPU {bestPeer.Cpu.Cpu:0.0} s, share {bestPeer.Cpu.Share:0.00}");
        report.Add("naive peer: peak memory (process + FFmpeg)", bestPeer.Memory / 1e6, "MB", "the bench process, which holds the peer's model");
        report.Add("ratio: Vireo ingest / naive peer (real-time factor)", best.RealTimeFactor / peerFactor, "x", "target >= 2.5");
        report.Add("ratio: naive peer CPU / vireo index CPU (same frames)", BenchMachine.Median(peer.Select(p => p.Cpu.Cpu)) / BenchMachine.Median(vireo.Select(v => v.Cpu.Cpu)), "x",
            "medians; vireo index's includes loading the model");

        foreach (var (label, name, size, seconds, preset) in new[]
        {
            ("1080p30", "bench-1080p30-60s-6mbps.mp4", "1920x1080", 60, "medium"),
            ("4K30", "bench-2160p30-30s-16mbps.mp4", "3840x2160", 30, "veryfast"),
        })
        {
            var file = await MediaBench.GenerateAsync(name, size, 30, seconds, "-c:v", "libx264", "-preset", preset,
                "-b:v", label == "4K30" ? "16M" : "6M", "-maxrate", label == "4K30" ? "20M" : "8M", "-bufsize", label == "4K30" ? "40M" : "16M");
            var run = CliIngest.Index(file, folder, variantName, work);
            report.Add($"vireo index {seconds}-s {label} H.264 (x264 {preset}): real-time factor", run.RealTimeFactor, "x",
                $"command CPU share {run.Cpu.Share:0.00}, CPU {run.Cpu.Cpu:0.0} s; load {BenchMachine.LoadAverage()}");
            report.Add($"vireo index {label}: peak memory (process + FFmpeg)", run.PeakBytes / 1e6, "MB");
        }
    }

    private static (int Frames, CpuSpan Cpu, long Memory) Measure(Func<int> run)
    {
        using var memory = new MemorySampler();
        var start = CpuClock.Now();
        var frames = run();
        return (frames, CpuClock.Now().Since(start), memory.Peak);
    }

    private static async Task QueryLatencyAsync(EmbeddingModel model, string work, double hours, int queries, BenchReport report)
    {
        var videos = (int)Math.Round(hours * 3600 / (ClipsPerVideo * 2.0));
        var directory = Path.Combine(work, $"library-v2-{videos}x{ClipsPerVideo}-{model.Identity.Fingerprint}");
        var library = VideoLibrary.Open(directory);
        var stored = library.ListVideos().Count;
        if (stored < videos)
        {
            var watch = Stopwatch.StartNew();
            Console.WriteLine($"# generating a synthetic library of {videos:N0} videos ({hours:N0} h) in {directory} (once; resumes)...");
            library.Bind(new LibrarySettings(model.Identity, 2.0, 2, model.Files.Root));
            GenerateLibrary(library, model.Identity, stored, videos);
            report.Add("synthetic library generation (catalog writes)", watch.Elapsed.TotalSeconds, "s", "not part of query latency");
        }
        var indexWatch = Stopwatch.StartNew();
        var hadIndex = CoarseIndex.BuiltGeneration(library) == library.Generation;
        var indexed = await CoarseIndex.UpdateAsync(library);
        if (!hadIndex && indexed)
            report.Add("coarse index build (read vectors + IVF + save)", indexWatch.Elapsed.TotalSeconds, "s");
        var catalogBytes = new FileInfo(library.CatalogPath).Length;
        var index = new FileInfo(CoarseIndex.PathOf(library)); // a small library (below CoarseIndex.Threshold vectors) is scanned exactly: no index file
        var indexText = index.Exists ? $"index {index.Length / 1e9:0.00} GB" : "no coarse index (exact scan)";
        report.Context("library", $"{videos:N0} videos, {(long)videos * ClipsPerVideo:N0} clips, {library.CoarseVectorCount():N0} coarse vectors; catalog {catalogBytes / 1e9:0.0} GB, {indexText}");

        using var searcher = new LibrarySearcher(library, model, new SearchOptions { TopVideos = 10, Candidates = 30 });
        var loadWatch = Stopwatch.StartNew();
        await searcher.SearchAsync("warm up: load the index and the tables");
        report.Add(indexed ? "first query (loads the coarse index)" : "first query (exact search: loads the tables)", loadWatch.Elapsed.TotalMilliseconds, "ms");
        var sentences = Sentences(queries);
        var totals = new List<double>();
        var encode = new List<double>();
        var coarse = new List<double>();
        var fine = new List<double>();
        var grounding = new List<double>();
        foreach (var sentence in sentences)
        {
            var watch = Stopwatch.StartNew();
            var result = await searcher.SearchAsync(sentence);
            totals.Add(watch.Elapsed.TotalMilliseconds);
            encode.Add(result.Timings.EncodeText);
            coarse.Add(result.Timings.Coarse);
            fine.Add(result.Timings.Fine);
            grounding.Add(result.Timings.Grounding);
        }
        totals.Sort();
        report.Add("query latency p50 (text encoding + search + grounding top 10)", totals[totals.Count / 2], "ms", $"{queries} queries; target <= 60");
        report.Add("query latency p99", totals[(int)(totals.Count * 0.99)], "ms");
        report.Add("  of which text encoding (p50)", BenchMachine.Median(encode), "ms");
        report.Add(indexed ? "  of which coarse stage: ANN + exact delta (p50)" : "  of which coarse stage: exact scan (p50)", BenchMachine.Median(coarse), "ms");
        report.Add("  of which fine stage: 30 candidates' clips read and scored (p50)", BenchMachine.Median(fine), "ms");
        report.Add("  of which grounding of the top 10 videos (p50)", BenchMachine.Median(grounding), "ms");
    }

    /// <summary>
    /// Five-minute videos of a few topics each: every clip is its segment's topic direction plus noise, so events
    /// and video vectors have the structure of real ones. Written 200 videos per transaction; resumable. <paramref name="decorate"/>
    /// adds to each video before it is written (the channels suite: its timed text).
    /// </summary>
    internal static void GenerateLibrary(VideoLibrary library, ModelIdentity model, int from, int count, Func<IndexedVideo, Random, IndexedVideo>? decorate = null)
    {
        var random = new Random(20261123 + from);
        var topics = new EmbeddingMatrix(4096, Dimension);
        var topicRandom = new Random(7);
        for (var t = 0; t < topics.Count; t++)
        {
            var row = topics[t];
            for (var i = 0; i < Dimension; i++)
                row[i] = (float)Normal(topicRandom);
            VectorMath.NormalizeInPlace(row);
        }
        var batch = new List<IndexedVideo>(200);
        for (var v = from; v < count; v++)
        {
            var clips = new EmbeddingMatrix(ClipsPerVideo, Dimension);
            var events = new List<ClipSpan>();
            var prototypes = new EmbeddingMatrix(ClipsPerVideo / EventLength, Dimension);
            for (var e = 0; e < ClipsPerVideo / EventLength; e++)
            {
                var topic = topics[random.Next(topics.Count)];
                for (var c = e * EventLength; c < (e + 1) * EventLength; c++)
                {
                    var row = clips[c];
                    for (var i = 0; i < Dimension; i++)
                        row[i] = topic[i] + 0.6f * (float)Normal(random) / MathF.Sqrt(Dimension) * 8;
                    VectorMath.NormalizeInPlace(row);
                }
                events.Add(new ClipSpan(e * EventLength, (e + 1) * EventLength));
                VectorMath.MeanPool(clips.AsSpan().Slice(e * EventLength * Dimension, EventLength * Dimension), Dimension, prototypes[e]);
            }
            var mean = new float[Dimension];
            VectorMath.MeanPool(clips.AsSpan(), Dimension, mean);
            var video = new IndexedVideo($"/synthetic/{v / 1000:D3}/video{v:D6}.mp4", 50_000_000, v, $"synthetic{v}", ClipsPerVideo * 2.0, 2.0, clips, mean, events, prototypes);
            batch.Add(decorate is null ? video : decorate(video, random));
            if (batch.Count == batch.Capacity || v == count - 1)
            {
                library.CommitMany(batch, model);
                batch.Clear();
                if (v % 10_000 < 200)
                    Console.WriteLine($"#   {v + 1:N0} / {count:N0} videos");
            }
        }
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Short search sentences of the length people type (5 to 12 words).</summary>
    internal static List<string> Sentences(int count)
    {
        string[] subjects = ["a man", "a woman", "two kids", "a dog", "the chef", "a person", "a cyclist", "an old car", "the crowd", "a girl"];
        string[] actions = ["opens the door", "is cooking pasta", "plays with a red ball", "walks along the beach", "rides through the city at night",
            "laughs at a joke", "cuts vegetables on a board", "jumps into the pool", "reads a book by the window", "waves at the camera"];
        string[] endings = ["", " in the rain", " while music plays", " on a sunny day", " and then sits down"];
        var random = new Random(11);
        return [.. Enumerable.Range(0, count).Select(_ => $"{subjects[random.Next(subjects.Length)]} {actions[random.Next(actions.Length)]}{endings[random.Next(endings.Length)]}")];
    }
}
