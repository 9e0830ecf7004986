using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vireo.Cli.Terminal;
using Vireo.Embedding.GrounderFeatures;
using Vireo.Media;
using Vireo.Models;
using Vireo.Research.Features;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo features extract VIDEO... --out DIR [--query TEXT ...]</c>: the CLIP features Lighthouse's trained grounders
/// read, in moment_detr's .npz layout, so the official training and evaluation code can use them.
/// </summary>
internal static class FeaturesCommand
{
    private const string TextFolderName = "clip_text";

    public static Command Create(CliConsole console)
    {
        var command = new Command("features", "Compute the CLIP features that moment_detr / Lighthouse grounders are trained on.");
        command.Subcommands.Add(Extract(console));
        return command;
    }

    private static Command Extract(CliConsole console)
    {
        var videos = new Argument<string[]>("video") { Description = "Video files.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the video features: DIR/<video id>.npz (created if missing).", Required = true };
        var queries = new Option<string[]>("--query", "-q") { Description = "A sentence whose token features to write (repeatable).", AllowMultipleArgumentsPerToken = false };
        var textOutput = new Option<string?>("--text-out") { Description = $"Folder for the query features (default: {TextFolderName} beside --out)." };
        var firstQid = new Option<int>("--first-qid") { Description = "The qid of the first --query; the next ones count up.", DefaultValueFactory = _ => 0 };
        var clipLength = new Option<double>("--clip-length") { Description = "Seconds per clip, one frame each (Lighthouse: 2 for QVHighlights, 1 for Charades-STA).", DefaultValueFactory = _ => 2.0 };
        var json = CommandGuard.JsonOption();
        var model = new ModelOptions();
        var command = new Command("extract",
            "Write the CLIP features moment_detr / Lighthouse read, computed as Lighthouse computes them.\n\n" +
            "Videos: DIR/<video id>.npz (the file name without its extension) with key 'features', float32 [clips, dim]: " +
            "the raw image embedding of one frame per clip (FFmpeg's fps filter at one frame per clip, shorter side scaled to the " +
            "model's input size, center crop, CLIP normalisation). A video of D seconds has round(D / clip length) clips.\n" +
            $"Queries: TEXT_DIR/qid<n>.npz (TEXT_DIR defaults to {TextFolderName} beside DIR) with 'last_hidden_state' float32 " +
            "[tokens, width] (the text tower's final layer norm, start to end token) and 'pooler_output' float32 [dim] " +
            "(the projected end-token embedding). Values are not normalised: Lighthouse's loaders normalise them and add the " +
            "timestamps themselves. Token features need a Hugging Face / transformers.js model (an immich text model has none).\n" +
            "Files are written whole (through temporary files): an interrupted run never leaves half a file. Exit code 5 when " +
            "some videos failed and others were written.")
        {
            videos, output, queries, textOutput, firstQid, clipLength, json,
        };
        model.AddTo(command);
        clipLength.Check(length => OptionChecks.Positive(length), "--clip-length must be a positive number of seconds");
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                var request = new Request(
                    result.GetRequiredValue(videos), result.GetRequiredValue(output), result.GetValue(queries) ?? [],
                    result.GetValue(textOutput), result.GetValue(firstQid), result.GetValue(clipLength), asJson);
                using var embeddingModel = model.Load(result);
                return await RunAsync(console, embeddingModel, request, ct).ConfigureAwait(false);
            });
        });
        return command;
    }

    private sealed record Request(string[] Videos, string OutputDirectory, string[] Queries, string? TextDirectory, int FirstQid, double ClipLength, bool Json);

    private sealed record WrittenVideo(string File, string Id, string Output, int Clips, int Dimension, double Duration, IReadOnlyList<double> FrameTimes);

    private sealed record WrittenQuery(int Qid, string Text, string Output, int Tokens, int Width, int Dimension);

    private sealed record FailedVideo(string File, string Error);

    private sealed record FeaturesResult(
        string Model, double ClipLength, string OutputDirectory, string? TextDirectory,
        IReadOnlyList<WrittenVideo> Videos, IReadOnlyList<WrittenQuery> Queries, IReadOnlyList<FailedVideo> Failures);

    private static async Task<int> RunAsync(CliConsole console, EmbeddingModel model, Request request, CancellationToken ct)
    {
        var ids = VideoIds(request.Videos);
        var videoDirectory = PrepareFolder(request.OutputDirectory, "--out");
        var textDirectory = request.Queries.Length == 0 ? null
            : PrepareFolder(request.TextDirectory ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(request.OutputDirectory))!, TextFolderName), "--text-out");

        // Queries first: they are quick, and a model without token features fails before any video is decoded.
        var writtenQueries = new List<WrittenQuery>();
        for (var i = 0; i < request.Queries.Length; i++)
        {
            var qid = request.FirstQid + i;
            var features = model.Text.EncodeTokens(request.Queries[i]);
            var path = Path.Combine(textDirectory!, string.Create(CultureInfo.InvariantCulture, $"qid{qid}.npz"));
            await NpzFile.WriteAsync(path,
            [
                ("last_hidden_state", new FeatureArray(features.States.AsSpan().ToArray(), [features.Count, features.States.Dimension])),
                ("pooler_output", new FeatureArray(features.Pooled, [features.Pooled.Length])),
            ], cancellationToken: ct).ConfigureAwait(false);
            writtenQueries.Add(new WrittenQuery(qid, request.Queries[i], path, features.Count, features.States.Dimension, features.Pooled.Length));
        }

        var written = new List<WrittenVideo>();
        var failures = new List<FailedVideo>();
        var options = new ClipFeatureOptions { ClipLength = request.ClipLength };

        async Task ExtractAllAsync(Action<int, double>? progress)
        {
            for (var i = 0; i < request.Videos.Length; i++)
            {
                var file = request.Videos[i];
                try
                {
                    var index = i;
                    var features = await ClipFeatureExtractor.ExtractAllAsync(model, file, options,
                        progress is null ? null : new SynchronousProgress(fraction => progress(index, fraction)), ct).ConfigureAwait(false);
                    var path = Path.Combine(videoDirectory, ids[i] + ".npz");
                    var matrix = features.Features;
                    await NpzFile.WriteAsync(path, [(NpzFile.FeaturesKey, new FeatureArray(matrix.AsSpan().ToArray(), [matrix.Count, matrix.Dimension]))], cancellationToken: ct).ConfigureAwait(false);
                    written.Add(new WrittenVideo(file, ids[i], path, matrix.Count, matrix.Dimension, features.Info.Duration, features.FrameTimes));
                }
                catch (MediaException e)
                {
                    failures.Add(new FailedVideo(file, e.Message));
                    if (!request.Json)
                        console.Error.WriteLine("error: " + e.Message);
                }
                progress?.Invoke(i, 1);
            }
        }

        if (console.Interactive)
        {
            await console.ErrorConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("features", maxValue: request.Videos.Length);
                    await ExtractAllAsync((index, fraction) =>
                    {
                        task.Value = index + fraction;
                        task.Description = CliConsole.ProgressText(string.Create(CultureInfo.InvariantCulture,
                            $"{index + 1}/{request.Videos.Length} {Path.GetFileName(request.Videos[index])}"));
                    }).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
        }
        else
        {
            await ExtractAllAsync(null).ConfigureAwait(false);
        }

        var summary = new FeaturesResult(model.Identity.Name, request.ClipLength, videoDirectory, textDirectory, written, writtenQueries, failures);
        if (request.Json)
        {
            CliJson.Write(console.Out, summary);
        }
        else
        {
            foreach (var video in written)
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{video.Output}: {video.Clips} clips x {video.Dimension} from {video.File}"));
            foreach (var query in writtenQueries)
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{query.Output}: {query.Tokens} tokens x {query.Width} for \"{query.Text}\""));
        }
        if (failures.Count == 0)
            return ExitCodes.Ok;
        return written.Count == 0 ? ExitCodes.InputError : ExitCodes.Partial;
    }

    /// <summary>moment_detr names a video's features by its id: here the file name without its extension, which must be unique.</summary>
    private static string[] VideoIds(string[] videos)
    {
        var ids = videos.Select(v => Path.GetFileNameWithoutExtension(v)).ToArray();
        var duplicate = ids.GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new CliInputException($"two videos have the id '{duplicate.Key}' (the file name without its extension): their features would overwrite each other; extract them into different folders");
        return ids;
    }

    private static string PrepareFolder(string folder, string option)
    {
        var full = Path.GetFullPath(folder);
        if (File.Exists(full))
            throw new CliInputException($"{folder}: {option} must be a folder, and a file has that name", folder);
        Directory.CreateDirectory(full);
        return full;
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool, after the bar closed).</summary>
    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
