using System.CommandLine;
using System.Globalization;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Research.Features;
using Vireo.Grounding;
using Vireo.Grounding.Proposals;
using Vireo.Grounding.Scoring;
using Vireo.Cli.Terminal;
using Vireo.Errors;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo eval zero-shot</c>: Vireo's zero-shot grounding (<see cref="ZeroShotGrounder"/>) on precomputed clip and
/// sentence features (moment_detr / Lighthouse .npz layout), over every query of the split whose two feature files are
/// present, scored with the benchmark's official metrics; optionally writes the predictions (submission format).
/// </summary>
internal static class ZeroShotCommand
{
    private static readonly string[] GeneratorNames = ["sliding", "map", "events", "shots"];

    public static Command Create(CliConsole console)
    {
        var features = new FeatureFolderOptions("pooler_output",
            "Array of the sentence embedding ([dim]); QVHighlights' CLIP text files: pooler_output (last_hidden_state is per token).");
        var clipLength = new Option<double>("--clip-length") { Description = "Seconds per clip of the features.", DefaultValueFactory = _ => 2.0 };
        var topK = new Option<int>("--top-k") { Description = "Moments per query.", DefaultValueFactory = _ => GroundingOptions.Default.TopK };
        var momentNms = new Option<double>("--moment-nms") { Description = "IoU above which the grounder drops a moment overlapping a better one.", DefaultValueFactory = _ => GroundingOptions.Default.NmsThreshold };
        var maxSpan = new Option<double>("--max-span") { Description = "Longest moment in seconds.", DefaultValueFactory = _ => GroundingOptions.Default.MaxSpanSeconds };
        var generators = new Option<string>("--generators") { Description = "Proposal generators: any of sliding, map, events, shots.", DefaultValueFactory = _ => string.Join(',', GeneratorNames) };
        var statistic = new Option<string>("--statistic") { Description = "Proposal score: welch (default), z or mean-difference.", DefaultValueFactory = _ => "welch" };
        statistic.AcceptOnlyFromAmong("welch", "z", "mean-difference");
        var command = new Command("zero-shot",
            "Run Vireo's zero-shot grounding on precomputed features (every query whose video and sentence features are present) and score it " +
            "with the benchmark's metrics (QVHighlights: MR-mAP / R1 / HL-mAP / HL-Hit1, official keys with --json).")
        {
            clipLength, topK, momentNms, maxSpan, generators, statistic,
        };
        features.AddTo(command);
        command.SetAction((result, ct) =>
        {
            return CommandGuard.RunAsync(console, result.GetValue(features.Json), async () =>
            {
                var grounder = CreateGrounder(result.GetRequiredValue(generators), result.GetRequiredValue(statistic), result.GetValue(topK),
                    result.GetValue(momentNms), result.GetValue(maxSpan));
                var seconds = result.GetValue(clipLength);
                if (!(seconds > 0) || !double.IsFinite(seconds))
                    throw new UsageException($"--clip-length: {seconds} is not a positive number of seconds");
                var (dataset, truth) = await features.LoadGroundTruthAsync(result, console, ct).ConfigureAwait(false);
                if (dataset == DatasetNames.DiDeMo)
                    throw new UsageException("didemo scores moments on its 5-second grid only; zero-shot moments are not on it");
                return await features.RunAsync(result, console, "zero-shot grounding", dataset, truth, grounder, seconds, ct).ConfigureAwait(false);
            });
        });
        return command;
    }

    private static ZeroShotFeatureGrounder CreateGrounder(string generators, string statistic, int topK, double nms, double maxSpan)
    {
        var chosen = new List<IProposalGenerator>();
        foreach (var name in generators.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct())
        {
            chosen.Add(name switch
            {
                "sliding" => new SlidingWindowProposals(),
                "map" => new TemporalMapProposals(),
                "events" => new EventProposals(),
                "shots" => new ShotBoundaryProposals(),
                _ => throw new UsageException($"--generators: unknown generator '{name}' (known: {string.Join(", ", GeneratorNames)})"),
            });
        }
        if (chosen.Count == 0)
            throw new UsageException($"--generators: name at least one of {string.Join(", ", GeneratorNames)}");
        if (topK < 1 || topK > GroundingOptions.Default.CandidatePool)
            throw new UsageException($"--top-k: {topK} is not a number of moments between 1 and {GroundingOptions.Default.CandidatePool}");
        if (!(nms is >= 0 and <= 1))
            throw new UsageException($"--moment-nms: {nms} is not an IoU between 0 and 1");
        if (!(maxSpan > 0))
            throw new UsageException($"--max-span: {maxSpan} is not a positive number of seconds");
        return new ZeroShotFeatureGrounder(GroundingOptions.Default with
        {
            Generators = chosen,
            Scorer = new InsideOutsideContrast
            {
                Statistic = statistic switch
                {
                    "z" => ContrastStatistic.ZScore,
                    "mean-difference" => ContrastStatistic.MeanDifference,
                    _ => ContrastStatistic.WelchT,
                },
            },
            TopK = topK,
            NmsThreshold = nms,
            MaxSpanSeconds = maxSpan,
        });
    }
}
