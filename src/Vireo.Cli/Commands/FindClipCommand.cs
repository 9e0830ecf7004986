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
        var video = new Argument<string>("query-video") { Description = "The clip to look for: a video file (in the library or not)." };
        var start = new Option<double?>("--start") { Description = "Start of the query clip in the video, in seconds (default: 0)." };
        var end = new Option<double?>("--end") { Description = "End of the query clip in the video, in seconds (default: the end of the video)." };
        var library = LibraryOption.Create();
        var model = new ModelOptions();
        var top = new Option<int>("--top", "-k") { Description = "Matches to return across the library.", DefaultValueFactory = _ => 10 };
        var minScore = new Option<double>("--min-score")
        {
            Description = "Reporting threshold on the calibrated score (1 = identical content, 0 = like unrelated content of the same video).",
            DefaultValueFactory = _ => new RelocalizationOptions().MinScore,
        };
        var json = CommandGuard.JsonOption();
        var command = new Command("find-clip", "Find where a video clip occurs in a library's videos, and exactly where (near-duplicates: re-encoded, resized, cropped, brightness or speed changed).")
        {
            video, start, end, library, top, minScore, json,
        };
        model.AddTo(command);
        top.Check(k => k >= 1, "--top must be at least 1");
        minScore.Check(double.IsFinite, "--min-score must be a finite number");
        command.Validators.Add(r =>
        {
            if (!r.TryGetParsed(start, out var s) || !r.TryGetParsed(end, out var e))
                return;
            if (s is < 0 || e is <= 0 || s is { } a && !double.IsFinite(a) || e is { } b && !double.IsFinite(b))
                r.AddError("--start and --end must be finite, --start at least 0 and --end above 0");
            else if (s is { } first && e is { } last && first >= last)
                r.AddError($"--start ({first.ToString(CultureInfo.InvariantCulture)}) must be before --end ({last.ToString(CultureInfo.InvariantCulture)})");
        });
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                using var engine = VireoEngine.Open(result.GetRequiredValue(library), model.Choice(result));
                var options = engine.Options.Relocalization with { TopK = result.GetValue(top), MinScore = result.GetValue(minScore) };
                var path = result.GetRequiredValue(video);
                var span = await VireoEngine.SpanAsync(path, result.GetValue(start), result.GetValue(end), ct).ConfigureAwait(false);
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

    private static void WriteText(TextWriter output, RelocalizationResult answer)
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
