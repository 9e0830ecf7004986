using System.Diagnostics;
using System.Numerics.Tensors;
using Vireo.Media;
using Vireo.Models;
using Vireo.Models.Tokenization;
using Vireo.Onnx;
using Vireo.Synthetic;
using Vireo.Synthetic.Concepts;
using Vireo.Synthetic.Layouts;
using Vireo.Synthetic.Onnx;
using Vireo.Vectors;

namespace Vireo.Bench;

/// <summary>
/// int8 encoders ('vireo models quantize'): the ViT-B/32-compute model (real architecture and compute, seeded random
/// weights) in float32 and int8, image throughput at 1 and 2 intra-op threads and batch 1, 8, 16, text-query latency;
/// and the agreement of int8 with float32 on the real frames of ../shared/data/videos (1 frame per second) and on real
/// Charades-STA queries, for the random-weight ViT-B/32 (per-column and per-tensor weight scales) and for the concept
/// model, which actually sees colours. Everything runs through the engine's loader (preprocessing and normalisation
/// included), as indexing does.
/// </summary>
internal sealed class QuantizationBench : IBenchSuite
{
    private static readonly int[] Batches = [1, 8, 16];

    private static readonly int[] ThreadCounts = [1, 2];

    private static readonly string[] Colours = ["red", "green", "blue", "yellow", "orange", "purple", "white", "black", "gray"];

    public string Name => "int8";

    public string Description => "int8 vs float32 encoders: ViT-B/32-compute image throughput (1, 2 threads; batch 1, 8, 16), text latency, agreement on real frames";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var quick = args.Contains("--quick");
        var work = Path.Combine(Path.GetTempPath(), "vireo-bench", "int8");
        var merges = SharedFiles.Require(SharedFiles.ClipMerges, "the int8 suite (CLIP's merges for the tokenizer files)");
        report.Context("load_average_at_start", BenchMachine.LoadAverage());

        var vit = Path.Combine(work, "vit-b32");
        if (!File.Exists(Path.Combine(vit, "onnx", "vision_model.onnx")))
            await BenchmarkModels.WriteVitB32Async(vit, TokenizerSource.FromVocabulary(ClipVocabulary.FromOpenAiMerges(merges)));
        var watch = Stopwatch.StartNew();
        var written = await ModelQuantizer.QuantizeAsync(vit);
        report.Add("quantize the ViT-B/32 folder (vision + text, per-column scales)", watch.Elapsed.TotalSeconds, "s");
        foreach (var file in written)
        {
            report.Add($"{Path.GetFileName(file.Target)}: weights", file.Report.WeightBytesAfter / 1e6, "MB",
                $"float32 {file.Report.WeightBytesBefore / 1e6:0} MB; {file.Report.Quantized} products in int8, {file.Report.KeptFloat} left in float");
        }
        var perTensor = await PerTensorCopyAsync(vit, Path.Combine(work, "vit-b32-per-tensor"));

        Throughput(vit, perTensor, quick, report);
        TextLatency(vit, quick, report);

        var frames = await RealFramesAsync();
        var queries = RealQueries(quick ? 50 : 200);
        report.Context("agreement_inputs", $"{frames.Count} frames (1 per second of {string.Join(", ", Videos().Select(Path.GetFileName))}); {queries.Count - Colours.Length} Charades-STA test queries and {Colours.Length} colour sentences");
        Agreement("ViT-B/32 random weights, per-column", vit, vit, frames, queries, report);
        Agreement("ViT-B/32 random weights, per-tensor", vit, perTensor, frames, queries, report);
        var concepts = Path.Combine(work, "concepts");
        if (!File.Exists(Path.Combine(concepts, "onnx", "vision_model.onnx")))
            await ConceptModelFolder.WriteAsync(concepts, merges);
        await ModelQuantizer.QuantizeAsync(concepts);
        Agreement("concept model (sees colours)", concepts, concepts, frames, queries, report);
        foreach (var frame in frames)
            frame.Dispose();
        report.Context("load_average_at_end", BenchMachine.LoadAverage());
    }

    /// <summary>A folder with the float32 files linked from <paramref name="source"/> and int8 files with one scale per weight matrix.</summary>
    private static async Task<string> PerTensorCopyAsync(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith("_quantized.onnx", StringComparison.Ordinal)))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            if (File.Exists(copy))
                continue;
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.CreateSymbolicLink(copy, file);
        }
        await ModelQuantizer.QuantizeAsync(target, new QuantizationOptions { PerColumn = false });
        return target;
    }

    private static void Throughput(string folder, string perTensorFolder, bool quick, BenchReport report)
    {
        var seconds = quick ? 1.5 : 4;
        var pixels = new float[Batches.Max() * 3 * 224 * 224];
        var random = new SeededRandom(3);
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = random.NextCentered(1);
        foreach (var threads in ThreadCounts)
        {
            var rates = new Dictionary<(ModelVariant, int), double>();
            foreach (var variant in new[] { ModelVariant.Default, ModelVariant.Quantized })
            {
                using var model = EmbeddingModel.Load(folder, new EncoderOptions { IntraOpThreads = threads, BatchSize = Batches.Max(), Variant = variant });
                foreach (var batch in Batches)
                {
                    var input = pixels[..(batch * model.Image.ImageLength)];
                    model.Image.Encode(input, batch); // warm-up (prepacking, allocations)
                    var rate = BenchMachine.Rate(seconds, () => model.Image.Encode(input, batch).Count);
                    rates[(variant, batch)] = rate;
                    report.Add($"image encoder {Label(variant)}, {threads} thread{(threads > 1 ? "s" : "")}, batch {batch}", rate, "images/s", $"{1000 / rate:0.0} ms per image");
                }
            }
            using (var perTensor = EmbeddingModel.Load(perTensorFolder, new EncoderOptions { IntraOpThreads = threads, BatchSize = 8, Variant = ModelVariant.Quantized }))
            {
                var input = pixels[..(8 * perTensor.Image.ImageLength)];
                perTensor.Image.Encode(input, 8);
                report.Add($"image encoder int8 per-tensor scales, {threads} thread{(threads > 1 ? "s" : "")}, batch 8", BenchMachine.Rate(seconds, () => perTensor.Image.Encode(input, 8).Count), "images/s", "vs per-column above");
            }
            foreach (var batch in Batches)
                report.Add($"image encoder int8 / float32, {threads} thread{(threads > 1 ? "s" : "")}, batch {batch}", rates[(ModelVariant.Quantized, batch)] / rates[(ModelVariant.Default, batch)], "x");
        }
    }

    private static void TextLatency(string folder, bool quick, BenchReport report)
    {
        string[] queries = ["person turn a light on.", "a person is putting a book on a shelf.", "the man in the red shirt opens the door and walks out"];
        foreach (var threads in ThreadCounts)
        {
            var medians = new Dictionary<ModelVariant, double>();
            foreach (var variant in new[] { ModelVariant.Default, ModelVariant.Quantized })
            {
                using var model = EmbeddingModel.Load(folder, new EncoderOptions { IntraOpThreads = threads, Variant = variant });
                var n = 0;
                medians[variant] = BenchMachine.MedianMs(quick ? 15 : 41, () => model.Text.EncodeQuery(queries[n++ % queries.Length]), warmupSeconds: 0.5);
                report.Add($"text query latency {Label(variant)}, {threads} thread{(threads > 1 ? "s" : "")} (p50)", medians[variant], "ms", "77 tokens, tokenizer included");
            }
            report.Add($"text query p50 int8 / float32, {threads} thread{(threads > 1 ? "s" : "")}", medians[ModelVariant.Quantized] / medians[ModelVariant.Default], "x");
        }
    }

    private static void Agreement(string name, string float32Folder, string int8Folder, List<VideoFrame> frames, List<string> queries, BenchReport report)
    {
        using var full = EmbeddingModel.Load(float32Folder, new EncoderOptions { IntraOpThreads = Environment.ProcessorCount });
        using var int8 = EmbeddingModel.Load(int8Folder, new EncoderOptions { IntraOpThreads = Environment.ProcessorCount, Variant = ModelVariant.Quantized });
        var reference = full.Image.Encode(frames);
        var quantized = int8.Image.Encode(frames);
        var images = Enumerable.Range(0, frames.Count).Select(i => (double)TensorPrimitives.CosineSimilarity(reference[i], quantized[i])).Order().ToList();
        report.Add($"{name}: image cosine int8 vs float32, mean over frames", images.Average(), "cosine",
            $"mean {images.Average():0.00000}, min {images[0]:0.00000}, 5th percentile {images[images.Count / 20]:0.00000}; {frames.Count} real frames");
        var textReference = full.Text.Encode(queries);
        var textQuantized = int8.Text.Encode(queries);
        // Queries the model has no word for (the concept model knows colours only) embed to nothing: they are left out.
        var understood = Enumerable.Range(0, queries.Count).Where(i => float.IsFinite(textReference[i][0]) && TensorPrimitives.Norm(textReference[i]) > 0.5f).ToList();
        var texts = understood.Select(i => (double)TensorPrimitives.CosineSimilarity(textReference[i], textQuantized[i])).Order().ToList();
        report.Add($"{name}: text cosine int8 vs float32, mean over queries", texts.Average(), "cosine", $"mean {texts.Average():0.00000}, min {texts[0]:0.00000}; {texts.Count} queries");
        // Ranking agreement: the frame int8 ranks first, scored by float32, against float32's own first (frames of one
        // scene score alike, so the very same frame is too strict a test: the regret says how much worse the pick is).
        var regrets = understood.Select(q =>
        {
            var (fullBest, int8Best) = (BestFrame(textReference[q], reference), BestFrame(textQuantized[q], quantized));
            return (Same: fullBest == int8Best, Regret: TensorPrimitives.Dot(textReference[q], reference[fullBest]) - TensorPrimitives.Dot(textReference[q], reference[int8Best]));
        }).ToList();
        report.Add($"{name}: int8's best frame per query, float32 cosine lost", regrets.Average(r => r.Regret), "cosine",
            $"mean {regrets.Average(r => r.Regret):0.00000}, max {regrets.Max(r => r.Regret):0.00000}; the same frame for {regrets.Count(r => r.Same)}/{regrets.Count} queries");
    }

    private static int BestFrame(ReadOnlySpan<float> query, EmbeddingMatrix frames)
    {
        var (best, score) = (0, float.NegativeInfinity);
        for (var i = 0; i < frames.Count; i++)
        {
            var s = TensorPrimitives.Dot(query, frames[i]);
            if (s > score)
                (best, score) = (i, s);
        }
        return best;
    }

    private static IEnumerable<string> Videos() =>
        Directory.EnumerateFiles(Path.GetDirectoryName(SharedFiles.Require("data/videos/charades.mp4", "the int8 suite's agreement on real frames"))!, "*.mp4").Order(StringComparer.Ordinal);

    private static async Task<List<VideoFrame>> RealFramesAsync()
    {
        var frames = new List<VideoFrame>();
        foreach (var video in Videos())
        {
            await foreach (var frame in FrameSampler.SampleAsync(video, FrameSampling.AtRate(1), new FrameSamplerOptions { Size = FrameSize.ShorterSide(224) }))
                frames.Add(frame);
        }
        return frames;
    }

    /// <summary>Charades-STA test queries, then one sentence per colour the concept model knows.</summary>
    private static List<string> RealQueries(int count) =>
        [.. File.ReadLines(SharedFiles.Require("data/charades_sta/charades_sta_test.txt", "the int8 suite's text agreement"))
            .Select(line => line.Split("##", 2)[1].Trim()).Distinct(StringComparer.Ordinal).Take(count),
            .. Colours.Select(c => $"a {c} scene")];

    private static string Label(ModelVariant variant) => variant == ModelVariant.Quantized ? "int8" : "float32";
}
