using System.CommandLine;
using System.Globalization;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Relocalization;
using Vireo.Cli.Terminal;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo find-clip QUERY_VIDEO [--start s --end e] [--library DIR] [--top K] [--json]</c>: where a clip (a video
/// file, or a span of one) occurs in a library's videos, as [start, end, score] per video (video re-localization).
/// </summary>
internal static class FindClipCommand
{
    public static Command Create(CliConsole console)
    {
        var clip = new QueryClipOptions();
        var library = LibraryOption.Create();
        var model = new ModelOptions();
        var top = new Option<int>("--top", "-k") { Description = "Matches to return across the library.", DefaultValueFactory = _ => 10 };
        var minScore = new Option<double>("--min-score")
        {
            Description = "Reporting threshold on the calibrated score (1 = identical content, 0 = like unrelated content of the same video).",
            DefaultValueFactory = _ => new RelocalizationOptions().MinScore,
        };
        var json = CommandGuard.JsonOption();
        var command = new Command("find-clip", "Find where a video clip occurs in a library's videos, and exactly where (near-duplicates: re-encoded, resized, cropped, brightness or speed changed).");
        clip.AddTo(command);
        foreach (var option in new Option[] { library, top, minScore, json })
            command.Options.Add(option);
        model.AddTo(command);
        top.Check(k => k >= 1, "--top must be at least 1");
        minScore.Check(double.IsFinite, "--min-score must be a finite number");
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                using var engine = VireoEngine.Open(result.GetRequiredValue(library), model.Choice(result));
                var options = engine.Options.Relocalization with { TopK = result.GetValue(top), MinScore = result.GetValue(minScore) };
                var path = result.GetRequiredValue(clip.Video);
                var span = await clip.SpanAsync(result, ct).ConfigureAwait(false);
                var answer = await engine.FindClipAsync(path, span, options, ct).ConfigureAwait(false);
                if (asJson)
                    CliJson.Write(console.Out, FindClipAnswers.Local(answer, engine.Library.Directory, engine.Model.Identity.Name, options.MinScore, id => engine.Library.Find(id)?.Duration));
                else
                    WriteText(console.Out, answer);
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    internal static void WriteText(TextWriter output, RelocalizationResult answer)
    {
        var c = CultureInfo.InvariantCulture;
        var span = answer.QuerySpan;
        output.WriteLine(string.Create(c, $"Query: {answer.QueryPath} [{SearchCommand.Time(span.Start)}–{SearchCommand.Time(span.End)}] ({span.Length:0.0} s)"));
        if (answer.Matches.Count == 0)
            output.WriteLine("  no match above the threshold.");
        for (var i = 0; i < answer.Matches.Count; i++)
        {
            var m = answer.Matches[i];
            output.WriteLine(string.Create(c,
                $"{i + 1,3}. {SearchCommand.Score(m.Score)}  {SearchCommand.Time(m.Start)}–{SearchCommand.Time(m.End)}  speed {m.Speed:0.00}x  {m.Path}"));
        }
        output.WriteLine(string.Create(c, $"({answer.Candidates} candidate videos, {answer.Timings.Total:0} ms)"));
    }
}
