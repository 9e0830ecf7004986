using System.CommandLine;
using System.Globalization;
using Vireo.Cli.Terminal;
using Vireo.Errors;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Research.Features;

namespace Vireo.Cli.Commands;

/// <summary>
/// The options of the evaluations that run a method on precomputed features in moment_detr's layout (<c>eval zero-shot</c>,
/// <c>eval trained</c>), and their common run: the queries whose two feature files are present, the method over them,
/// the predictions written, the benchmark's metrics printed.
/// </summary>
internal sealed class FeatureFolderOptions(string defaultTextKey, string textKeyDescription)
{
    public ResearchOptions Research { get; } = new();

    public Option<string> VideoFeatures { get; } = new("--video-features") { Description = "Folder of clip features, one .npz per video.", Required = true };

    public Option<string> TextFeatures { get; } = new("--text-features") { Description = "Folder of sentence features, one .npz per query.", Required = true };

    public Option<string> VideoFile { get; } = new("--video-file") { Description = "Clip feature file name, {vid} = video id.", DefaultValueFactory = _ => "{vid}.npz" };

    public Option<string> TextFile { get; } = new("--text-file") { Description = "Sentence feature file name, {qid} = query id.", DefaultValueFactory = _ => "qid{qid}.npz" };

    public Option<string> VideoKey { get; } = new("--video-key") { Description = "Array of the clip features in the .npz ([clips, dim]).", DefaultValueFactory = _ => NpzFile.FeaturesKey };

    public Option<string> TextKey { get; } = new("--text-key") { Description = textKeyDescription, DefaultValueFactory = _ => defaultTextKey };

    public Option<string?> Predictions { get; } = new("--predictions", "-p") { Description = "Write the predictions here (QVHighlights submission format, jsonl)." };

    public Option<bool> Json { get; } = CommandGuard.JsonOption();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { VideoFeatures, TextFeatures, VideoFile, TextFile, VideoKey, TextKey, Predictions, Json })
            command.Options.Add(option);
        Research.AddTo(command);
    }

    /// <summary>The ground truth of the chosen split and data set name.</summary>
    public Task<(string Dataset, GroundingDataset Truth)> LoadGroundTruthAsync(ParseResult result, CliConsole console, CancellationToken cancellationToken) =>
        Research.LoadGroundTruthAsync(result, console, cancellationToken);

    /// <summary>Runs <paramref name="grounder"/> over every query of <paramref name="truth"/> with both feature files, writes and scores its predictions.</summary>
    public async Task<int> RunAsync(ParseResult result, CliConsole console, string method, string dataset, GroundingDataset truth,
        IMomentGrounder grounder, double clipLength, CancellationToken cancellationToken)
    {
        var videoFolder = ExistingFolder(result.GetRequiredValue(VideoFeatures), "--video-features");
        var textFolder = ExistingFolder(result.GetRequiredValue(TextFeatures), "--text-features");
        var videoPattern = FileNameFormat(result.GetRequiredValue(VideoFile), "vid");
        var textPattern = FileNameFormat(result.GetRequiredValue(TextFile), "qid");
        var present = truth.Queries.Where(q =>
            File.Exists(Path.Combine(videoFolder, string.Format(CultureInfo.InvariantCulture, videoPattern, q.VideoId))) &&
            File.Exists(Path.Combine(textFolder, string.Format(CultureInfo.InvariantCulture, textPattern, q.QueryId)))).ToArray();
        if (present.Length == 0)
        {
            throw new CliInputException($"no query of {truth.Path} has both feature files (looked for {Path.Combine(videoFolder, result.GetRequiredValue(VideoFile))} " +
                $"and {Path.Combine(textFolder, result.GetRequiredValue(TextFile))})");
        }
        console.Error.WriteLine($"{method}: {present.Length} of {truth.Queries.Count} queries have features; the others are left out");
        var scoring = Research.ScoringOptions(result); // a --protocol the benchmark has no code for is refused before the run
        var predictions = await PrecomputedGrounding.RunAsync(present, new NpzFeatureFolder(videoFolder, videoPattern, result.GetRequiredValue(VideoKey)),
            new NpzFeatureFolder(textFolder, textPattern, result.GetRequiredValue(TextKey)), grounder, clipLength, cancellationToken).ConfigureAwait(false);
        if (result.GetValue(Predictions) is { } path)
            await PredictionFile.WriteAsync(path, predictions, cancellationToken).ConfigureAwait(false);
        var asJson = result.GetValue(Json);
        if (dataset == DatasetNames.QvHighlights)
        {
            EvalCommand.WriteQvHighlights(console, asJson, QvHighlightsEvaluator.Evaluate(present, predictions));
        }
        else
        {
            var scored = truth with { Queries = present };
            EvalCommand.WriteGrounding(console, asJson, scored, scoring, GroundingMetrics.Evaluate(scored, EvalCommand.ByQuery(predictions), scoring));
        }
        return ExitCodes.Ok;
    }

    private static string ExistingFolder(string path, string option) =>
        Directory.Exists(path) ? path : throw new CliInputException($"{option}: folder {path} does not exist", path);

    /// <summary>A file name pattern with {vid} or {qid} as a composite format string with {0}.</summary>
    private static string FileNameFormat(string pattern, string token)
    {
        var placeholder = "{" + token + "}";
        if (!pattern.Contains(placeholder, StringComparison.Ordinal))
            throw new UsageException($"file name pattern '{pattern}' has no {placeholder}");
        return pattern.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)
            .Replace("{{" + token + "}}", "{0}", StringComparison.Ordinal);
    }
}
