using System.CommandLine;
using Vireo.Cli.Terminal;
using Vireo.Errors;
using Vireo.Grounding.Trained;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo eval trained --grounder NAME</c>: an imported trained grounder (Moment-DETR, QD-DETR, CG-DETR) on precomputed
/// features in moment_detr's layout, computed as Lighthouse's evaluation computes it (<see cref="TrainedFeatureGrounder"/>),
/// every window with its score and the saliency written in the QVHighlights submission format, scored with the
/// benchmark's metrics: a published table in one command.
/// </summary>
internal static class TrainedCommand
{
    public static Command Create(CliConsole console)
    {
        var features = new FeatureFolderOptions("last_hidden_state",
            "Array of the token features ([tokens, dim]); Lighthouse / moment_detr CLIP text files: last_hidden_state.");
        var grounderName = new Option<string>("--grounder") { Description = "An imported grounder's name (see 'vireo models list') or a grounder folder.", Required = true };
        var wholeVideos = new Option<bool>("--whole-videos")
        {
            Description = "Cover videos longer than the network's window with overlapping windows instead of cutting them at max_v_l clips as the official evaluation does.",
        };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime threads (0: one per core).", DefaultValueFactory = _ => 0 };
        var store = new Option<string?>("--models-dir") { Description = "The model store (default: $VIREO_MODELS or the user's data folder)." };
        var command = new Command("trained",
            "Run an imported trained grounder on precomputed features (every query whose video and token features are present), write its predictions " +
            "(-p, QVHighlights submission format) and score them with the benchmark's metrics.")
        {
            grounderName, wholeVideos, threads, store,
        };
        features.AddTo(command);
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, result.GetValue(features.Json), async () =>
        {
            if (result.GetValue(threads) < 0)
                throw new UsageException($"--threads: {result.GetValue(threads)} is not a thread count (0 means one per core)");
            var (dataset, truth) = await features.LoadGroundTruthAsync(result, console, ct).ConfigureAwait(false);
            if (dataset == DatasetNames.DiDeMo)
                throw new UsageException("didemo scores moments on its 5-second grid only; the trained grounders' moments are not on it");
            using var grounder = new GrounderStore(result.GetValue(store)).Open(result.GetRequiredValue(grounderName), result.GetValue(threads));
            var method = new TrainedFeatureGrounder(grounder, dataset, result.GetValue(wholeVideos));
            return await features.RunAsync(result, console, $"{grounder.Manifest.Name} ({GrounderImport.ArchitectureName(grounder.Manifest.Architecture)})",
                dataset, truth, method, grounder.Manifest.Features.ClipSeconds, ct).ConfigureAwait(false);
        }));
        return command;
    }
}
