using System.CommandLine;
using System.Globalization;
using Vireo.Embedding;
using Vireo.Grounding;
using Vireo.Library;
using Vireo.Ingest;
using Vireo.Models;
using Vireo.Retrieval;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo ground VIDEO "sentence" [--library DIR] [--json]</c>: where in one video a sentence happens. A video
/// of the library uses its stored clip embeddings; any other file is decoded and encoded on the spot.
/// </summary>
internal static class GroundCommand
{
    public static Command Create(CliConsole console)
    {
        var video = new Argument<string>("video") { Description = "The video file (in the library or not)." };
        var query = new Argument<string>("query") { Description = "What to look for, in words." };
        var library = LibraryOption.Create();
        var model = new ModelOptions();
        var top = new Option<int>("--top", "-k") { Description = "Moments to return.", DefaultValueFactory = _ => 5 };
        var json = VireoCli.JsonOption();
        var command = new Command("ground", "Find the [start, end] moments of one video where a sentence happens, with the per-clip saliency curve.")
        {
            video, query, library, top, json,
        };
        model.AddTo(command);
        top.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
                r.AddError("--top must be at least 1");
        });
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return VireoCli.GuardAsync(console, asJson, async () =>
            {
                var text = SearchCommand.ValidQuery(result.GetRequiredValue(query));
                var path = Path.GetFullPath(result.GetRequiredValue(video));
                if (!File.Exists(path))
                    throw new Vireo.Media.MediaFileNotFoundException(result.GetRequiredValue(video));
                var libraryDirectory = result.GetRequiredValue(library);
                var videoLibrary = File.Exists(Path.Combine(libraryDirectory, VideoLibrary.CatalogFileName)) ? VideoLibrary.Open(libraryDirectory, create: false) : null;
                using var clip = videoLibrary?.Settings is not null && result.GetValue(model.Model) is null
                    ? LibraryModel.Load(videoLibrary, model, result)
                    : model.Load(result);

                var (groundingVideo, duration) = VideoFromLibrary(videoLibrary, clip, path) is { } stored
                    ? stored
                    : await EmbedAsync(clip, path, videoLibrary?.Settings, ct).ConfigureAwait(false);
                var grounded = new ZeroShotGrounder().Ground(groundingVideo, clip.Text.Encode(text), ct);

                if (asJson)
                    CliJson.Write(console.Out, SearchJson.Prediction(text, path, duration, grounded, result.GetValue(top)));
                else
                    WriteText(console.Out, text, path, grounded, result.GetValue(top));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary>The stored clips when the library has this file, unchanged since it was indexed, with this model.</summary>
    private static (GroundingVideo, double)? VideoFromLibrary(VideoLibrary? library, EmbeddingModel model, string path)
    {
        if (library?.Settings is not { } settings || !settings.Model.IsCompatibleWith(model.Identity) || library.Find(path) is not { Status: VideoStatus.Indexed } row
            || !row.IsUnchangedOnDisk())
            return null;
        var grid = new Vireo.Temporal.ClipGrid(row.Duration, row.ClipLength);
        return (new GroundingVideo(library.ReadClips(row.Id), grid), row.Duration);
    }

    private static async Task<(GroundingVideo, double)> EmbedAsync(EmbeddingModel model, string path, LibrarySettings? settings, CancellationToken ct)
    {
        var options = settings is null ? new EmbeddingOptions() : new EmbeddingOptions { ClipLength = settings.ClipLength, FramesPerClip = settings.FramesPerClip };
        var embedded = await new VideoEmbedder(model, options).EmbedAsync(path, ct).ConfigureAwait(false);
        return (new GroundingVideo(embedded.Clips, embedded.Grid), embedded.Info.Duration);
    }

    private static void WriteText(TextWriter output, string query, string path, GroundingResult result, int top)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"\"{query}\" in {path}:");
        foreach (var moment in DistinctMoments.Select(result.Moments, top))
            output.WriteLine(string.Create(c, $"  {SearchCommand.Time(moment.Start)}–{SearchCommand.Time(moment.End)}  score {moment.Score:0.000}  (mean similarity {moment.MeanSimilarity:0.000})"));
        output.WriteLine("  saliency per clip: " + Sparkline(result.NormalizedSaliency()));
    }

    /// <summary>A one-line picture of the saliency curve.</summary>
    internal static string Sparkline(IReadOnlyList<float> normalized)
    {
        const string levels = "▁▂▃▄▅▆▇█";
        return string.Concat(normalized.Select(v => levels[Math.Clamp((int)(v * (levels.Length - 1) + 0.5f), 0, levels.Length - 1)]));
    }
}
