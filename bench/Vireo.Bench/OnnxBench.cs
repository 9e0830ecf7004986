using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Vireo.Models.Tokenization;
using Vireo.Onnx;
using Vireo.Synthetic.Onnx;
using Vireo.Synthetic;
using Vireo.Synthetic.Clip;
using Vireo.Synthetic.Layouts;

namespace Vireo.Bench;

/// <summary>
/// ONNX Runtime on CLIP ViT-B/32-sized synthetic models (real architecture and compute, seeded random weights):
/// image throughput at batch 1 and 16 and text-query latency, on 2 intra-op threads, beside the machine's
/// ceiling measured in the same run (a 2048³ float32 MatMul through ONNX Runtime on the same threads).
/// FLOPs are 2 × multiply-accumulates of the matrix products, counted from the graphs.
/// </summary>
internal sealed class OnnxBench : IBenchSuite
{
    private const int Threads = 2;

    public string Name => "onnx";

    public string Description => "ONNX Runtime: ViT-B/32-compute image encoder (batch 1, 16), text-query latency, vs a MatMul ceiling";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var quick = args.Contains("--quick");
        var folder = Path.Combine(Path.GetTempPath(), "vireo-bench", "vit-b-32-synthetic");
        var merges = SharedFiles.Require(SharedFiles.ClipMerges, "the onnx suite (CLIP's merges for the tokenizer files)");
        var tokenizer = TokenizerSource.FromVocabulary(ClipVocabulary.FromOpenAiMerges(merges));
        var (model, generation) = await BenchmarkModels.WriteVitB32Async(folder, tokenizer);
        var visionPath = model.EncoderPath(EncoderKind.Vision);
        var textPath = model.EncoderPath(EncoderKind.Text);
        report.Context("models", $"{folder}: vision {new FileInfo(visionPath).Length / 1e6:0} MB, text {new FileInfo(textPath).Length / 1e6:0} MB");
        report.Context("onnxruntime", $"{OrtEnv.Instance().GetVersionString()}, CPU provider, intra-op threads {Threads}, sequential, all graph optimizations");
        report.Add("generate ViT-B/32 folder (both encoders + side files)", generation.TotalSeconds, "s");

        var clip = (RandomClip)model.Model;
        var visionGraph = clip.VisionModel(EncoderSignature.HuggingFaceVision(clip.EmbedDim)).Graph;
        var textGraph = clip.TextModel(EncoderSignature.HuggingFaceText(clip.EmbedDim)).Graph;
        var bindings = new Dictionary<string, long> { ["batch_size"] = 1, ["num_channels"] = 3, ["height"] = 224, ["width"] = 224, ["sequence_length"] = 77 };
        var imageFlops = FlopCounter.Count(visionGraph, bindings).Flops;
        var queryFlops = FlopCounter.Count(textGraph, bindings).Flops;
        report.Add("image encoder compute per image", imageFlops / 1e9, "GFLOP", "2 x MACs; = 4.41 GMACs");
        report.Add("text encoder compute per query (77 tokens)", queryFlops / 1e9, "GFLOP", "2 x MACs");

        report.Context("load_average_at_start", BenchMachine.LoadAverage());
        // The machine is shared: the ceiling is measured before and after the models and the higher one is used;
        // each figure is given as the median run and the best run, and ratios compare like with like.
        var ceilingRuns = quick ? 3 : 7;
        var before = MeasureCeiling(ceilingRuns);
        report.Add("ceiling before: 2048^3 MatMul, median run", before.Median, "GFLOP/s", $"{Threads} threads, B constant (prepacked)");
        report.Add("ceiling before: 2048^3 MatMul, best run", before.Best, "GFLOP/s");

        var achieved = new List<(string Name, double Median, double Best)>();
        using (var vision = new InferenceSession(visionPath, Options()))
        {
            foreach (var batch in new[] { 1, 16 })
            {
                var pixels = new float[batch * 3 * 224 * 224];
                var random = new SeededRandom(1);
                for (var i = 0; i < pixels.Length; i++)
                    pixels[i] = random.NextCentered(1);
                using var input = OrtValue.CreateTensorValueFromMemory(pixels, [batch, 3, 224, 224]);
                var runs = batch == 1 ? (quick ? 5 : 20) : (quick ? 2 : 5);
                var times = Time(vision, "pixel_values", input, warmup: batch == 1 ? 3 : 1, runs);
                var (median, best) = (BenchMachine.Median(times), times.Min());
                report.Add($"image encoder, batch {batch}: time per batch (median)", median * 1000, "ms", $"{runs} runs; best {best * 1000:0.0} ms");
                report.Add($"image encoder, batch {batch}: throughput (median)", batch / median, "images/s", $"best {batch / best:0.00}");
                report.Add($"image encoder, batch {batch}: achieved (median)", imageFlops * batch / median / 1e9, "GFLOP/s", $"best {imageFlops * batch / best / 1e9:0.0}");
                achieved.Add(($"image encoder batch {batch}", imageFlops * batch / median / 1e9, imageFlops * batch / best / 1e9));
            }
        }

        using (var text = new InferenceSession(textPath, Options()))
        {
            var ids = new long[77];
            long[] words = [49406, 320, 736, 1615, 2533, 5586, 530, 49407];
            words.CopyTo(ids, 0);
            Array.Fill(ids, 49407, words.Length, ids.Length - words.Length);
            using var input = OrtValue.CreateTensorValueFromMemory(ids, [1, 77]);
            var runs = quick ? 20 : 200;
            var times = Time(text, "input_ids", input, warmup: 5, runs);
            times.Sort();
            var p50 = times[times.Count / 2];
            var p99 = times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.99) - 1)];
            report.Add("text query latency, batch 1: p50", p50 * 1000, "ms", $"{runs} queries; best {times[0] * 1000:0.0} ms");
            report.Add("text query latency, batch 1: p99", p99 * 1000, "ms");
            report.Add("text encoder, batch 1: achieved (p50)", queryFlops / p50 / 1e9, "GFLOP/s", $"best {queryFlops / times[0] / 1e9:0.0}");
            achieved.Add(("text encoder batch 1", queryFlops / p50 / 1e9, queryFlops / times[0] / 1e9));
        }

        var after = MeasureCeiling(ceilingRuns);
        report.Add("ceiling after: 2048^3 MatMul, median run", after.Median, "GFLOP/s");
        report.Add("ceiling after: 2048^3 MatMul, best run", after.Best, "GFLOP/s");
        var ceilingMedian = Math.Max(before.Median, after.Median);
        var ceilingBest = Math.Max(before.Best, after.Best);
        foreach (var (name, median, best) in achieved)
        {
            report.Add($"ratio: {name} / ceiling (medians)", median / ceilingMedian, "x", $"{median:0.0} of {ceilingMedian:0.0} GFLOP/s");
            report.Add($"ratio: {name} / ceiling (best runs)", best / ceilingBest, "x", $"{best:0.0} of {ceilingBest:0.0} GFLOP/s");
        }
        report.Context("load_average_at_end", BenchMachine.LoadAverage());
    }

    private static SessionOptions Options() => new()
    {
        IntraOpNumThreads = Threads,
        InterOpNumThreads = 1,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
    };

    /// <summary>
    /// GFLOP/s of a 2048 x 2048 x 2048 float32 MatMul whose right operand is a constant (ONNX Runtime prepacks it,
    /// as it does the encoders' weights), over <paramref name="runs"/> runs after one warm-up.
    /// </summary>
    private static (double Median, double Best) MeasureCeiling(int runs)
    {
        const int n = 2048;
        var g = new GraphBuilder("ceiling");
        g.Output(g.MatMul(g.Input("a", OnnxDataType.Float, n, n), g.Initializer("b", SeededTensors.Uniform(2, "b", 1, 0, n, n))), "c");
        using var session = new InferenceSession(g.ToModel().ToArray(), Options());
        var random = new SeededRandom(3);
        var a = new float[n * n];
        for (var i = 0; i < a.Length; i++)
            a[i] = random.NextCentered(1);
        using var input = OrtValue.CreateTensorValueFromMemory(a, [n, n]);
        var times = Time(session, "a", input, warmup: 1, runs);
        const double flops = 2.0 * n * n * n;
        return (flops / BenchMachine.Median(times) / 1e9, flops / times.Min() / 1e9);
    }

    private static List<double> Time(InferenceSession session, string inputName, OrtValue input, int warmup, int runs)
    {
        using var options = new RunOptions();
        var outputName = session.OutputNames[0];
        var times = new List<double>();
        for (var i = 0; i < warmup + runs; i++)
        {
            var watch = Stopwatch.StartNew();
            using var outputs = session.Run(options, [inputName], [input], [outputName]);
            if (i >= warmup)
                times.Add(watch.Elapsed.TotalSeconds);
            if (i == 0 && !outputs[0].GetTensorDataAsSpan<float>().ToArray().All(float.IsFinite))
                throw new InvalidOperationException($"{outputName} is not finite: the random weights overflow");
        }
        return times;
    }
}
