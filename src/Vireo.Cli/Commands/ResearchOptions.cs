using System.CommandLine;
using System.Globalization;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Cli.Terminal;
using Vireo.Errors;

namespace Vireo.Cli.Commands;

/// <summary>The options that the research commands (eval, baseline) share, and their parsing.</summary>
internal sealed class ResearchOptions
{
    public Option<string> Dataset { get; } = new("--dataset", "-d")
    {
        Description = "Benchmark: charades-sta, tacos, activitynet-captions, didemo, qvhighlights (or msrvtt for retrieval).",
        Required = true,
    };

    public Option<string> Split { get; } = new("--split")
    {
        Description = "Split whose ground truth is used when --ground-truth is not given (activitynet-captions: test = val_2, val = val_1).",
        DefaultValueFactory = _ => "test",
    };

    public Option<string?> GroundTruth { get; } = new("--ground-truth", "-g") { Description = "Annotation file (default: the split's file under --data-root)." };

    public Option<string?> DataRoot { get; } = new("--data-root")
    {
        Description = "Folder laid out as the public releases (default: $VIREO_DATA, else ../shared/data).",
    };

    public Option<string[]> Durations { get; } = new("--durations")
    {
        Description = "Charades-STA only: Charades_v1_*.csv files with video lengths (default: those beside the annotation file).",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<FaultPolicy> FaultPolicy { get; } = new("--fault-policy")
    {
        Description = "Faulty annotation records (start after end, unknown video): skip (default), swap, fail.",
        DefaultValueFactory = _ => Research.Datasets.FaultPolicy.Skip,
    };

    public Option<string?> Protocol { get; } = ProtocolOption(
        "2d-tan or vslnet (charades-sta, tacos, activitynet-captions; default 2d-tan), moment-detr (qvhighlights), didemo (didemo)");

    public Option<string> Convention { get; } = new("--convention")
    {
        Description = "Vireo's own convention instead of an official protocol: strict (IoU > m after NMS) or inclusive (IoU >= m, no NMS), " +
            "ground truth as annotated. Kept for compatibility; --protocol 2d-tan / vslnet reproduce the official code.",
        DefaultValueFactory = _ => "strict",
    };

    public Option<double> Nms { get; } = new("--nms") { Description = "NMS threshold of the strict convention.", DefaultValueFactory = _ => 0.5 };

    public Option<string> RecallAt { get; } = new("--recall") { Description = "Comma-separated n of R@n.", DefaultValueFactory = _ => "1,5" };

    public Option<string> Iou { get; } = new("--iou") { Description = "Comma-separated IoU thresholds m.", DefaultValueFactory = _ => "0.3,0.5,0.7" };

    public ResearchOptions()
    {
        Convention.AcceptOnlyFromAmong("strict", "inclusive");
    }

    /// <summary>Adds the loading and metric options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Dataset, Split, GroundTruth, DataRoot, Durations, FaultPolicy, Protocol, Convention, Nms, RecallAt, Iou })
            command.Options.Add(option);
    }

    /// <summary>The grounding benchmark's ground truth (--ground-truth or the split's file), with faulty records reported on standard error.</summary>
    public async Task<(string Dataset, GroundingDataset Truth)> LoadGroundTruthAsync(ParseResult result, CliConsole console, CancellationToken ct)
    {
        var dataset = CanonicalDataset(result);
        if (dataset == DatasetNames.MsrVtt)
            throw new UsageException("msrvtt is a retrieval benchmark: use 'vireo eval retrieval'");
        var truth = await LoadGroundingAsync(result, dataset, AnnotationPath(result, dataset), ct).ConfigureAwait(false);
        foreach (var fault in truth.Faults)
            console.Error.WriteLine($"warning: {fault}");
        return (dataset, truth);
    }

    public string CanonicalDataset(ParseResult result)
    {
        var name = result.GetRequiredValue(Dataset);
        return DatasetCatalog.Canonical(name);
    }

    public string Root(ParseResult result) => result.GetValue(DataRoot) ?? DatasetCatalog.DefaultRoot;

    /// <summary>
    /// The annotation file: --ground-truth, or <paramref name="split"/>'s file under the data root (an unknown split is a
    /// usage error; a missing data or benchmark folder an input error naming the folder).
    /// </summary>
    public string AnnotationPath(ParseResult result, string dataset, string? split = null) =>
        split is null && result.GetValue(GroundTruth) is { } explicitPath
            ? explicitPath
            : DatasetCatalog.AnnotationPath(dataset, split ?? result.GetRequiredValue(Split), Root(result));

    public Task<GroundingDataset> LoadGroundingAsync(ParseResult result, string dataset, string path, CancellationToken ct)
    {
        var durations = result.GetValue(Durations) is { Length: > 0 } csv ? csv : null;
        return DatasetCatalog.LoadGroundingFileAsync(dataset, path, new DatasetLoadOptions { FaultPolicy = result.GetValue(FaultPolicy) }, durations, ct);
    }

    /// <summary>
    /// How R@n,IoU=m and mIoU are computed: the official protocol named by --protocol (default: the dataset's), or
    /// Vireo's own convention when --convention is given explicitly (both at once is a usage error). The protocol is set
    /// for the benchmarks scored by <see cref="GroundingMetrics"/> (2D-TAN, VSLNet); QVHighlights and DiDeMo have their own
    /// evaluators. VSLNet reports R@1 only, so its default --recall is 1.
    /// </summary>
    public GroundingMetricOptions ScoringOptions(ParseResult result)
    {
        var dataset = CanonicalDataset(result);
        var named = result.GetValue(Protocol);
        var conventionGiven = result.GetResult(Convention) is { Implicit: false };
        if (conventionGiven && named is not null)
            throw new UsageException("--convention selects Vireo's own convention and --protocol an official one: give one of them");
        var metricOptions = MetricOptions(result);
        if (conventionGiven || dataset == DatasetNames.MsrVtt)
            return metricOptions;
        var protocol = EvaluationProtocols.Resolve(named, dataset);
        if (protocol is not (EvaluationProtocol.TwoDTan or EvaluationProtocol.VslNet))
            return metricOptions;
        var recallGiven = result.GetResult(RecallAt) is { Implicit: false };
        return metricOptions with { Protocol = protocol, RecallAt = protocol == EvaluationProtocol.VslNet && !recallGiven ? [1] : metricOptions.RecallAt };
    }

    /// <summary>Vireo's own convention from --convention, --nms, --recall and --iou.</summary>
    public GroundingMetricOptions MetricOptions(ParseResult result) => new()
    {
        Convention = result.GetValue(Convention) == "inclusive" ? IouConvention.Inclusive : IouConvention.StrictWithNms,
        NmsThreshold = NmsThreshold(result.GetValue(Nms)),
        RecallAt = ParseList(result.GetRequiredValue(RecallAt), "--recall", s => int.Parse(s, CultureInfo.InvariantCulture), n => n > 0),
        IouThresholds = ParseList(result.GetRequiredValue(Iou), "--iou", s => double.Parse(s, CultureInfo.InvariantCulture), m => m is >= 0 and <= 1),
    };

    private static double NmsThreshold(double nms) =>
        nms is >= 0 and <= 1 ? nms : throw new UsageException($"--nms: {nms} is not an IoU between 0 and 1");

    private static T[] ParseList<T>(string text, string option, Func<string, T> parse, Func<T, bool> valid)
    {
        try
        {
            var values = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse).ToArray();
            if (values.Length > 0 && values.All(valid))
                return values;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
        }
        throw new UsageException($"{option}: '{text}' is not a valid comma-separated list");
    }

    /// <summary>The --protocol option: an official protocol by name (the dataset's default when absent).</summary>
    internal static Option<string?> ProtocolOption(string which) => new("--protocol")
    {
        Description = $"The official code whose numbers to reproduce: {which}.",
    };

    public static string Percent(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.00", CultureInfo.InvariantCulture);
}
