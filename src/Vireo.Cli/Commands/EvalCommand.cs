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
        var json = CommandGuard.JsonOption();
        var command = new Command("grounding",
            "Moment retrieval metrics: R@n,IoU=m and mIoU (Charades-STA, TACoS, ActivityNet Captions), DiDeMo's R@1/R@5/mIoU, " +
            "QVHighlights' MR-mAP / R1 / HL-mAP / HL-Hit1 (official key names with --json).")
        {
            predictions, partial, json,
        };
        options.AddTo(command);
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                var metricOptions = options.ScoringOptions(result);
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
                        WriteGrounding(console, asJson, truth, metricOptions, GroundingMetrics.Evaluate(truth, ByQuery(submitted), metricOptions));
                        break;
                }
                return ExitCodes.Ok;
            });
        });
        return command;
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

    /// <summary>The official protocol's name, or null for Vireo's own convention.</summary>
    internal static string? ProtocolName(GroundingMetricOptions options) => options.Protocol is { } protocol ? EvaluationProtocols.Name(protocol) : null;

    /// <summary>Vireo's own convention's name ("strict", "inclusive"), or null when an official protocol scores.</summary>
    internal static string? ConventionName(GroundingMetricOptions options) =>
        options.Protocol is null ? (options.Convention == IouConvention.StrictWithNms ? "strict" : "inclusive") : null;

    /// <summary>Prints the scores, after a warning on standard error when the protocol left queries out.</summary>
    internal static void WriteGrounding(CliConsole console, bool json, GroundingDataset truth, GroundingMetricOptions options, GroundingScores scores)
    {
        if (scores.ExcludedQueries > 0)
        {
            console.Error.WriteLine($"warning: {truth.Path}: {scores.ExcludedQueries} queries are left out, as the " +
                $"{EvaluationProtocols.Name(scores.Protocol!.Value)} code leaves them out (start not before end after its clipping)");
        }
        var metrics = scores.Recalls.ToDictionary(r => r.Name, r => r.Percent);
        metrics["mIoU"] = scores.MeanIoU;
        if (json)
        {
            CliJson.Write(console.Out, new
            {
                Dataset = truth.Name,
                GroundTruth = truth.Path,
                Protocol = ProtocolName(options),
                Convention = ConventionName(options),
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
