using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;

namespace Vireo.Research.Baselines;

/// <summary>A metric's mean and sample standard deviation (n − 1) over seeds, in percent.</summary>
public sealed record MetricSummary(string Name, double Mean, double StandardDeviation, IReadOnlyList<double> PerSeed);

/// <summary>A baseline scored over several seeds.</summary>
public sealed record BaselineResult(string Baseline, int Queries, IReadOnlyList<int> Seeds, IReadOnlyList<MetricSummary> Metrics)
{
    public MetricSummary this[string name] => Metrics.First(m => m.Name == name);
}

/// <summary>Runs a baseline with fixed seeds and scores every run with <see cref="GroundingMetrics"/>.</summary>
public static class BaselineRunner
{
    /// <summary>The seeds of the reproduction: 0, 1, 2, 3, 4.</summary>
    public static IReadOnlyList<int> DefaultSeeds { get; } = [0, 1, 2, 3, 4];

    /// <summary>Scores a benchmark's split: an official protocol in <paramref name="options"/> prepares its ground truth.</summary>
    public static BaselineResult Run(IGroundingBaseline baseline, GroundingDataset test, GroundingMetricOptions options, IReadOnlyList<int>? seeds = null)
    {
        ArgumentNullException.ThrowIfNull(test);
        return Run(baseline, test.Queries, predictions => GroundingMetrics.Evaluate(test, predictions, options), seeds);
    }

    /// <summary>Scores queries with their ground truth as annotated, in Vireo's own convention.</summary>
    public static BaselineResult Run(IGroundingBaseline baseline, IReadOnlyList<GroundingQuery> test, GroundingMetricOptions options, IReadOnlyList<int>? seeds = null) =>
        Run(baseline, test, predictions => GroundingMetrics.Evaluate(test, predictions, options), seeds);

    private static BaselineResult Run(IGroundingBaseline baseline, IReadOnlyList<GroundingQuery> test,
        Func<IReadOnlyDictionary<string, GroundingPrediction>, GroundingScores> score, IReadOnlyList<int>? seeds)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        seeds = baseline.IsRandom ? seeds ?? DefaultSeeds : [0];
        var perMetric = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var seed in seeds)
        {
            var predictions = baseline.Predict(test, seed).ToDictionary(p => p.QueryId, StringComparer.Ordinal);
            var scores = score(predictions);
            foreach (var (name, value) in scores.Recalls.Select(r => (r.Name, r.Percent)).Append(("mIoU", scores.MeanIoU)))
            {
                if (!perMetric.TryGetValue(name, out var list))
                {
                    perMetric[name] = list = [];
                    order.Add(name);
                }
                list.Add(value);
            }
        }
        var metrics = order.Select(name => Summarize(name, perMetric[name])).ToList();
        return new BaselineResult(baseline.Name, test.Count, seeds, metrics);
    }

    private static MetricSummary Summarize(string name, List<double> values)
    {
        var mean = values.Average();
        var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return new MetricSummary(name, mean, std, values);
    }
}
