using System.CommandLine;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Cli.Terminal;
using Vireo.Errors;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo eval grounding|retrieval</c>: score anyone's predictions with the benchmarks' official metrics;
/// <c>vireo eval zero-shot</c>: run and score Vireo's own grounding on precomputed features.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("eval", "Score predictions on a benchmark with metrics identical to the official scripts.");
        command.Subcommands.Add(Grounding(console));
        command.Subcommands.Add(RetrievalCommand.Create(console));
        command.Subcommands.Add(ZeroShotCommand.Create(console));
        command.Subcommands.Add(TrainedCommand.Create(console));
        return command;
    }

    private static Command Grounding(CliConsole console)
    {
        var options = new ResearchOptions();
        var predictions = new Option<string>("--predictions", "-p")
        {
            Description = "Predictions in the QVHighlights submission format (jsonl: qid, pred_relevant_windows [[start, end, score]], pred_saliency_scores).",
            Required = true,
        };
        var partial = new Option<bool>("--partial") { Description = "QVHighlights: score the queries present in both files instead of requiring the same set." };
        var protocol = ProtocolOption("2d-tan or vslnet (charades-sta, tacos, activitynet-captions; default 2d-tan), moment-detr (qvhighlights), didemo (didemo)");
        var json = CommandGuard.JsonOption();
        var command = new Command("grounding",
            "Moment retrieval metrics: R@n,IoU=m and mIoU (Charades-STA, TACoS, ActivityNet Captions), DiDeMo's R@1/R@5/mIoU, " +
            "QVHighlights' MR-mAP / R1 / HL-mAP / HL-Hit1 (official key names with --json).")
        {
            predictions, partial, protocol, json,
        };
        options.AddTo(command);
        options.Convention.Description = "Vireo's own convention instead of an official protocol: strict (IoU > m after NMS) or inclusive (IoU >= m, no NMS), " +
            "ground truth as annotated. Kept for compatibility; --protocol 2d-tan / vslnet reproduce the official code.";
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                var metricOptions = GroundingOptions(result, options, protocol);
                var (dataset, truth) = await options.LoadGroundTruthAsync(result, console, ct).ConfigureAwait(false);
                var path = result.GetRequiredValue(predictions);
                var submitted = await PredictionFile.ReadAsync(path, ct).ConfigureAwait(false);
                var inverted = PredictionFile.CountInverted(submitted);
                if (inverted.Windows > 0)
                {
                    console.Error.WriteLine($"warning: {path}: {inverted.Windows} windows on {inverted.Lines} lines have their start after their end; " +
                        "they are scored as written, with the protocol's own arithmetic, as the official scripts score them");
                }
                // The evaluators' input errors name the ground-truth or prediction file and line themselves.
                switch (dataset)
                {
                    case DatasetNames.QvHighlights:
                        WriteQvHighlights(console, asJson, QvHighlightsEvaluator.Evaluate(truth.Queries, submitted, new QvHighlightsOptions { MatchNumber = !result.GetValue(partial) }));
                        break;
                    case DatasetNames.DiDeMo:
                        WriteDiDeMo(console, asJson, truth, DiDeMoEvaluator.Evaluate(truth.Queries, ByQuery(submitted)));
                        break;
                    default:
                        var scores = GroundingMetrics.Evaluate(truth, ByQuery(submitted), metricOptions);
                        if (scores.ExcludedQueries > 0)
                        {
                            console.Error.WriteLine($"warning: {truth.Path}: {scores.ExcludedQueries} queries are left out, as the " +
                                $"{EvaluationProtocols.Name(scores.Protocol!.Value)} code leaves them out (start not before end after its clipping)");
                        }
                        WriteGrounding(console, asJson, truth, metricOptions, scores);
                        break;
                }
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary>The --protocol option: an official protocol by name (the dataset's default when absent).</summary>
    internal static Option<string?> ProtocolOption(string which) => new("--protocol")
    {
        Description = $"The official code whose numbers to reproduce: {which}.",
    };

    /// <summary>
    /// The metric options of 'eval grounding': the official protocol named by --protocol (default: the dataset's), or
    /// Vireo's own convention when --convention is given explicitly (both at once is a usage error). VSLNet reports R@1
    /// only, so its default --recall is 1.
    /// </summary>
    private static GroundingMetricOptions GroundingOptions(ParseResult result, ResearchOptions options, Option<string?> protocolOption)
    {
        var dataset = options.CanonicalDataset(result);
        var named = result.GetValue(protocolOption);
        var conventionGiven = result.GetResult(options.Convention) is { Implicit: false };
        if (conventionGiven && named is not null)
            throw new UsageException("--convention selects Vireo's own convention and --protocol an official one: give one of them");
        var metricOptions = options.MetricOptions(result);
        if (conventionGiven || dataset == DatasetNames.MsrVtt)
            return metricOptions;
        var protocol = EvaluationProtocols.Resolve(named, dataset);
        if (protocol is not (EvaluationProtocol.TwoDTan or EvaluationProtocol.VslNet))
            return metricOptions with { Protocol = protocol };
        var recallGiven = result.GetResult(options.RecallAt) is { Implicit: false };
        return metricOptions with { Protocol = protocol, RecallAt = protocol == EvaluationProtocol.VslNet && !recallGiven ? [1] : metricOptions.RecallAt };
    }

    internal static Dictionary<string, GroundingPrediction> ByQuery(IReadOnlyList<GroundingPrediction> predictions) =>
        predictions.ToDictionary(p => p.QueryId, StringComparer.Ordinal);

    internal static void WriteQvHighlights(CliConsole console, bool json, QvHighlightsReport report)
    {
        if (json)
        {
            console.Out.WriteLine(report.ToOfficialJson().ToJsonString(CliJson.Options));
            return;
        }
        TextTable.Write(console.Out, ["metric", "value"], report.Brief.Select(kv => (IReadOnlyList<string>)[kv.Key, ResearchOptions.Percent(kv.Value)]));
    }

    private static void WriteDiDeMo(CliConsole console, bool json, GroundingDataset truth, DiDeMoScores scores)
    {
        if (json)
        {
            CliJson.Write(console.Out, new { Dataset = truth.Name, GroundTruth = truth.Path, scores.Queries, scores.MissingPredictions, Metrics = new Dictionary<string, double>
            {
                ["R@1"] = scores.RecallAt1,
                ["R@5"] = scores.RecallAt5,
                ["mIoU"] = scores.MeanIoU,
            } });
            return;
        }
        console.Out.WriteLine($"{truth.Name}: {scores.Queries} queries ({scores.MissingPredictions} without prediction), DiDeMo consensus evaluation");
        TextTable.Write(console.Out, ["metric", "value"],
        [
            ["R@1", ResearchOptions.Percent(scores.RecallAt1)],
            ["R@5", ResearchOptions.Percent(scores.RecallAt5)],
            ["mIoU", ResearchOptions.Percent(scores.MeanIoU)],
        ]);
    }

    internal static void WriteGrounding(CliConsole console, bool json, GroundingDataset truth, GroundingMetricOptions options, GroundingScores scores)
    {
        var metrics = scores.Recalls.ToDictionary(r => r.Name, r => r.Percent);
        metrics["mIoU"] = scores.MeanIoU;
        if (json)
        {
            CliJson.Write(console.Out, new
            {
                Dataset = truth.Name,
                GroundTruth = truth.Path,
                Protocol = scores.Protocol is { } protocol ? EvaluationProtocols.Name(protocol) : null,
                Convention = scores.Protocol is null ? (options.Convention == IouConvention.StrictWithNms ? "strict" : "inclusive") : null,
                NmsThreshold = options.UsesNms ? options.NmsThreshold : (double?)null,
                scores.Queries,
                scores.MissingPredictions,
                scores.ExcludedQueries,
                Metrics = metrics,
            });
            return;
        }
        console.Out.WriteLine($"{truth.Name}: {scores.Queries} queries ({scores.MissingPredictions} without prediction), {options.Describe()}");
        TextTable.Write(console.Out, ["metric", "value"], metrics.Select(kv => (IReadOnlyList<string>)[kv.Key, ResearchOptions.Percent(kv.Value)]));
    }
}
