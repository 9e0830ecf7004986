using System.CommandLine;
using Vireo.Research.Datasets;
using Vireo.Research.Evaluation;
using Vireo.Research.Features;
using Vireo.Cli.Terminal;
using Vireo.Errors;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo eval retrieval</c>: text→video retrieval as CLIP4Clip scores it. Predictions are a similarity matrix
/// [captions × videos] (.npy, or .npz with one array or a <c>sims</c> key) whose rows follow the ground-truth file's
/// captions and whose columns follow its videos in order of first appearance, or ranked lists (.jsonl:
/// <c>{"qid": "ret0", "ranked_videos": ["video9770", ...]}</c>; a true video missing from its list ranks at the
/// list's length).
/// </summary>
internal static class RetrievalCommand
{
    public static Command Create(CliConsole console)
    {
        var dataset = new Option<string>("--dataset", "-d") { Description = "Benchmark: msrvtt (1k-A test).", DefaultValueFactory = _ => DatasetNames.MsrVtt };
        var predictions = new Option<string>("--predictions", "-p")
        {
            Description = "Similarity matrix [captions x videos] as .npy/.npz, or ranked lists as .jsonl ({\"qid\", \"ranked_videos\"}).",
            Required = true,
        };
        var truth = new Option<string?>("--ground-truth", "-g") { Description = "Captions CSV key,vid_key,video_id,sentence (default: MSR-VTT 1k-A test under --data-root)." };
        var root = new Option<string?>("--data-root") { Description = "Folder laid out as the public releases (default: $VIREO_DATA, else ../shared/data)." };
        var setting = new Option<string>("--setting")
        {
            Description = "single (one caption per video, CLIP4Clip compute_metrics), multi (tensor_text_to_video_metrics) or auto.",
            DefaultValueFactory = _ => "auto",
        };
        setting.AcceptOnlyFromAmong("auto", "single", "multi");
        var protocol = ResearchOptions.ProtocolOption("clip4clip (the only retrieval protocol, and the default)");
        var json = CommandGuard.JsonOption();
        var command = new Command("retrieval", "Text-to-video retrieval metrics: R@1, R@5, R@10, median and mean rank (CLIP4Clip).")
        {
            dataset, predictions, truth, root, setting, protocol, json,
        };
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                if (DatasetNames.Normalize(result.GetRequiredValue(dataset)) != DatasetNames.MsrVtt)
                    throw new UsageException("retrieval is evaluated on msrvtt; for moments use 'vireo eval grounding'");
                EvaluationProtocols.Resolve(result.GetValue(protocol), DatasetNames.MsrVtt);
                var captionsPath = result.GetValue(truth) ?? DatasetCatalog.AnnotationPath(DatasetNames.MsrVtt, "test", result.GetValue(root) ?? DatasetCatalog.DefaultRoot);
                var captions = await MsrVtt.LoadAsync(captionsPath, ct).ConfigureAwait(false);
                var path = result.GetRequiredValue(predictions);
                var chosen = result.GetRequiredValue(setting) switch
                {
                    "single" => RetrievalSetting.SingleCaption,
                    "multi" => RetrievalSetting.MultiCaption,
                    _ => captions.IsOneCaptionPerVideo ? RetrievalSetting.SingleCaption : RetrievalSetting.MultiCaption,
                };
                if (captions.Captions.Count == 0)
                    throw new DatasetFormatException(captions.Path, 0, "the file has no caption to score");
                if (chosen == RetrievalSetting.SingleCaption && !captions.IsOneCaptionPerVideo)
                {
                    throw new UsageException($"--setting single needs one caption per video in caption order, but {captions.Path} has {captions.Captions.Count} " +
                        $"captions of {captions.Videos.Count} videos: use --setting multi (or auto)");
                }
                var scores = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
                    ? RetrievalMetrics.FromRanks(await RanksFromListsAsync(path, captions, ct).ConfigureAwait(false), chosen)
                    : FromMatrix(await ReadMatrixAsync(path, ct).ConfigureAwait(false), captions, chosen, path);
                if (chosen == RetrievalSetting.MultiCaption && scores.TiedCaptions > 0)
                {
                    console.Error.WriteLine($"warning: {path}: {scores.TiedCaptions} captions tie their true video with another video; CLIP4Clip's " +
                        "multi-caption code orders ties with torch.argsort, which is not stable, so its numbers for them are undefined " +
                        "(Vireo ranks the lower column first, as a stable sort)");
                }
                Write(console, asJson, captions, chosen, scores);
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static async Task<FeatureArray> ReadMatrixAsync(string path, CancellationToken ct)
    {
        if (!path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            return await NpyFile.ReadAsync(path, ct).ConfigureAwait(false);
        var arrays = await NpzFile.ReadAllAsync(path, ct).ConfigureAwait(false);
        return arrays.TryGetValue("sims", out var sims) ? sims
            : arrays.Count == 1 ? arrays.Values.First()
            : throw new CliInputException($"{path}: several arrays and none named 'sims' ({string.Join(", ", arrays.Keys)})", path);
    }

    private static RetrievalScores FromMatrix(FeatureArray matrix, RetrievalDataset captions, RetrievalSetting setting, string path)
    {
        if (matrix.Shape.Length != 2 || matrix.Shape[0] != captions.Captions.Count || matrix.Shape[1] != captions.Videos.Count)
            throw new CliInputException(
                $"{path}: expected a [{captions.Captions.Count} captions x {captions.Videos.Count} videos] matrix, got ({string.Join(", ", matrix.Shape)})", path);
        var column = captions.Videos.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal);
        var truth = captions.Captions.Select(c => column[c.VideoId]).ToArray();
        // Ranked at the matrix's stored precision (float32 or float64).
        return RetrievalMetrics.FromMatrix(matrix, truth, setting, path);
    }

    private static async Task<List<int>> RanksFromListsAsync(string path, RetrievalDataset captions, CancellationToken ct)
    {
        var lists = await RankedListFile.ReadAsync(path, ct).ConfigureAwait(false);
        return [.. captions.Captions.Select(c => lists.TryGetValue(c.QueryId, out var ranked)
            ? Array.IndexOf(ranked, c.VideoId) is var r and >= 0 ? r : ranked.Length
            : throw new DatasetFormatException(path, 0, $"no ranked list for caption {c.QueryId}"))];
    }

    private static void Write(CliConsole console, bool json, RetrievalDataset captions, RetrievalSetting setting, RetrievalScores scores)
    {
        var metrics = new Dictionary<string, double>
        {
            ["R1"] = scores.R1,
            ["R5"] = scores.R5,
            ["R10"] = scores.R10,
            ["MR"] = scores.MedianRank,
            ["MeanR"] = scores.MeanRank,
        };
        if (json)
        {
            CliJson.Write(console.Out, new
            {
                Dataset = captions.Name,
                GroundTruth = captions.Path,
                Setting = setting == RetrievalSetting.SingleCaption ? "single" : "multi",
                Protocol = EvaluationProtocols.Name(EvaluationProtocol.Clip4Clip),
                Captions = captions.Captions.Count,
                captions.Videos.Count,
                scores.Ranks,
                scores.TiedCaptions,
                Metrics = metrics,
            });
            return;
        }
        console.Out.WriteLine($"{captions.Name}: {captions.Captions.Count} captions, {captions.Videos.Count} videos, {(setting == RetrievalSetting.SingleCaption ? "single" : "multi")}-caption setting");
        TextTable.Write(console.Out, ["metric", "value"], metrics.Select(kv => (IReadOnlyList<string>)[kv.Key, ResearchOptions.Percent(kv.Value)]));
    }
}
