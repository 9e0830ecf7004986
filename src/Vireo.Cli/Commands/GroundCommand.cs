using System.CommandLine;
using System.Globalization;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Grounding;
using Vireo.Cli.Terminal;

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
        var grounderName = GrounderOption.Create(
            "Its features are computed from the file (one frame per clip, as Lighthouse); --model must be the CLIP model it was trained on (ViT-B/32, Hugging Face export).");
        var json = CommandGuard.JsonOption();
        var command = new Command("ground", "Find the [start, end] moments of one video where a sentence happens, with the per-clip saliency curve.")
        {
            video, query, library, top, grounderName, json,
        };
        model.AddTo(command);
        top.Check(k => k >= 1, "--top must be at least 1");
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                using var engine = VireoEngine.OpenOptional(result.GetRequiredValue(library), model.Choice(result));
                using var grounder = GrounderOption.Open(result, grounderName, model);
                var grounded = grounder is null
                    ? await engine.GroundAsync(result.GetRequiredValue(video), result.GetRequiredValue(query), ct).ConfigureAwait(false)
                    : await engine.GroundAsync(result.GetRequiredValue(video), result.GetRequiredValue(query), grounder, cancellationToken: ct).ConfigureAwait(false);
                var text = grounded.Query;
                if (asJson)
                    CliJson.Write(console.Out, GroundAnswers.Local(text, grounded.Path, grounded.Duration, grounded.Result, result.GetValue(top)));
                else
                    WriteText(console.Out, text, grounded.Path, grounded.Result, result.GetValue(top));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static void WriteText(TextWriter output, string query, string path, GroundingResult result, int top)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"\"{query}\" in {path}:");
        foreach (var moment in DistinctMoments.Select(result.Moments, top))
            output.WriteLine(string.Create(c, $"  {SearchCommand.Time(moment.Start)}–{SearchCommand.Time(moment.End)}  score {SearchCommand.Score(moment.Score)}  (mean similarity {SearchCommand.Score(moment.MeanSimilarity)})"));
        output.WriteLine("  saliency per clip: " + Sparkline(result.NormalizedSaliency()));
    }

    /// <summary>A one-line picture of the saliency curve.</summary>
    internal static string Sparkline(IReadOnlyList<float> normalized)
    {
        const string levels = "▁▂▃▄▅▆▇█";
        return string.Concat(normalized.Select(v => levels[Math.Clamp((int)(v * (levels.Length - 1) + 0.5f), 0, levels.Length - 1)]));
    }
}
