using Vireo.Synthetic;
using System.Diagnostics;
using Vireo.Research.Baselines;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;

namespace Vireo.Bench;

/// <summary>
/// Scoring speed on ActivityNet Captions val_2 (17,031 queries, 10 windows each from the uniform-random baseline):
/// R@n,IoU=m in both conventions, QVHighlights-style MR (mAP over 10 thresholds and R1, four buckets), and the KDE prior.
/// </summary>
internal sealed class EvalBench : IBenchSuite
{
    public string Name => "eval";

    public string Description => "scoring 17,031 ActivityNet val_2 queries x 10 windows (R@n IoU, QVH mAP), KDE prior";

    public async Task RunAsync(string[] args, BenchReport report)
    {
        var repeats = args.Contains("--quick") ? 3 : 10;
        var root = args.SkipWhile(a => a != "--data-root").Skip(1).FirstOrDefault() ?? SharedFiles.Find("data") ?? DatasetCatalog.DefaultRoot;
        var test = await DatasetCatalog.LoadGroundingAsync(DatasetNames.ActivityNetCaptions, "test", root);
        var predictions = new UniformRandomBaseline(10).Predict(test.Queries, seed: 0);
        var byQuery = predictions.ToDictionary(p => p.QueryId);
        report.Context("data", $"{test.Path}: {test.Queries.Count} queries, {predictions.Sum(p => p.Windows.Count)} predicted windows");

        var strict = GroundingMetricOptions.Default with { RecallAt = [1, 5], IouThresholds = [0.3, 0.5, 0.7] };
        report.Add("R@{1,5},IoU={.3,.5,.7} strict + NMS 0.5 (2D-TAN)", BenchMachine.MedianMs(repeats, () => GroundingMetrics.Evaluate(test.Queries, byQuery, strict)), "ms");
        var inclusive = strict with { Convention = IouConvention.Inclusive };
        report.Add("R@{1,5},IoU={.3,.5,.7} inclusive (VSLNet)", BenchMachine.MedianMs(repeats, () => GroundingMetrics.Evaluate(test.Queries, byQuery, inclusive)), "ms");
        report.Add("QVHighlights MR: mAP@10 thresholds + R1, 4 buckets", BenchMachine.MedianMs(repeats, () => QvHighlightsEvaluator.Evaluate(test.Queries, predictions)), "ms");

        var train = await DatasetCatalog.LoadGroundingAsync(DatasetNames.ActivityNetCaptions, "train", root);
        var watch = Stopwatch.StartNew();
        var kde = KdePriorBaseline.Fit(train.Queries);
        report.Add("KDE prior: fit on 37,419 train windows (grid tabulation)", watch.Elapsed.TotalMilliseconds, "ms");
        report.Add("KDE prior: predict val_2, one seed (100 samples/query)", BenchMachine.MedianMs(Math.Min(repeats, 3), () => kde.Predict(test.Queries, 0)), "ms");
    }
}
