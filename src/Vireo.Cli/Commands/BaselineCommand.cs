using System.CommandLine;
using System.Globalization;
using Vireo.Research.Baselines;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Cli.Terminal;
using Vireo.Errors;

namespace Vireo.Cli.Commands;

/// <summary><c>vireo baseline NAME --dataset D</c>: annotation-only baselines, mean ± std over seeds.</summary>
internal static class BaselineCommand
{
    public static Command Create(CliConsole console)
    {
        var options = new ResearchOptions();
        var name = new Argument<string>("name") { Description = "kde-prior (Otani et al. 2020), whole-video or uniform-random." };
        name.AcceptOnlyFromAmong("kde-prior", "whole-video", "uniform-random");
        var trainSplit = new Option<string>("--train-split") { Description = "Split the KDE prior is fitted on.", DefaultValueFactory = _ => "train" };
        var train = new Option<string?>("--train") { Description = "Training annotation file (default: --train-split's file under --data-root)." };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds of the random baselines.", DefaultValueFactory = _ => "0,1,2,3,4" };
        var output = new Option<string?>("--output", "-o") { Description = "Write the first seed's predictions here (QVHighlights submission format)." };
        var json = CommandGuard.JsonOption();
        var command = new Command("baseline", "Run a baseline that uses the annotations alone and score it (R@n,IoU=m, mIoU; mean ± std over seeds).")
        {
            name, trainSplit, train, seeds, output, json,
        };
        options.AddTo(command);
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                var (dataset, test) = await options.LoadGroundTruthAsync(result, console, ct).ConfigureAwait(false);
                IGroundingBaseline baseline = result.GetRequiredValue(name) switch
                {
                    "whole-video" => new WholeVideoBaseline(),
                    "uniform-random" => new UniformRandomBaseline(),
                    _ => KdePriorBaseline.Fit((await options.LoadGroundingAsync(result, dataset,
                        result.GetValue(train) ?? options.AnnotationPath(result, dataset, result.GetRequiredValue(trainSplit)), ct).ConfigureAwait(false)).Queries),
                };
                var seedList = ParseSeeds(result.GetRequiredValue(seeds));
                if (dataset is DatasetNames.QvHighlights or DatasetNames.DiDeMo && result.GetValue(options.Protocol) is not null)
                    throw new UsageException($"baseline scores {dataset} in Vireo's convention; write its predictions (--output) and score them with 'eval grounding --protocol'");
                var scoring = options.ScoringOptions(result);
                var scores = BaselineRunner.Run(baseline, test, scoring, seedList);
                if (result.GetValue(output) is { } path)
                    await PredictionFile.WriteAsync(path, baseline.Predict(test.Queries, scores.Seeds[0]), ct).ConfigureAwait(false);
                if (asJson)
                {
                    CliJson.Write(console.Out, new
                    {
                        Dataset = test.Name, GroundTruth = test.Path, Protocol = EvalCommand.ProtocolName(scoring), Convention = EvalCommand.ConventionName(scoring),
                        scores.Baseline, scores.Queries, scores.Seeds, scores.Metrics,
                    });
                }
                else
                {
                    console.Out.WriteLine($"{scores.Baseline} on {test.Name} ({test.Path}): {scores.Queries} queries, seeds {string.Join(",", scores.Seeds)}, {scoring.Describe()}");
                    TextTable.Write(console.Out, ["metric", "mean", "std"], scores.Metrics.Select(m => (IReadOnlyList<string>)
                        [m.Name, ResearchOptions.Percent(m.Mean), ResearchOptions.Percent(m.StandardDeviation)]));
                }
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static int[] ParseSeeds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var seeds = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out seeds[i]))
                throw new UsageException($"--seeds: '{text}' is not a comma-separated list of integers");
        }
        return parts.Length > 0 ? seeds : throw new UsageException("--seeds: at least one seed is needed");
    }
}
