using System.CommandLine;
using System.Globalization;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Retrieval;
using Vireo.Cli.Terminal;

namespace Vireo.Cli.Commands;

/// <summary><c>vireo search "sentence" [--library DIR] [--top K] [--json]</c>: videos and moments of a library for a sentence.</summary>
internal static class SearchCommand
{
    public static Command Create(CliConsole console)
    {
        var query = new Argument<string>("query") { Description = "What to look for, in words." };
        var library = LibraryOption.Create();
        var model = new ModelOptions();
        var top = new Option<int>("--top", "-k") { Description = "Videos to return.", DefaultValueFactory = _ => 10 };
        var moments = new Option<int>("--moments") { Description = "Moments per video.", DefaultValueFactory = _ => 3 };
        var grounderName = GrounderOption.Create(
            "It grounds the best videos on their stored clips and reranks them by their best moment; the library must be indexed with the CLIP model it was trained on.");
        var channels = new Option<string>("--channels")
        {
            Description = "What to search, comma-separated: visual (the pictures), subtitles, speech, ocr (the words stored by 'vireo index --channels'). Default: all.",
            DefaultValueFactory = _ => "visual,subtitles,speech,ocr",
        };
        var json = CommandGuard.JsonOption();
        var command = new Command("search", "Rank a library's videos for a sentence and find the moments where it happens.") { query, library, top, moments, grounderName, channels, json };
        model.AddTo(command);
        top.Check(k => k >= 1, "--top must be at least 1");
        moments.Check(m => m >= 0, "--moments cannot be negative");
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                var searched = SearchChannels.Parse(result.GetRequiredValue(channels));
                using var engine = VireoEngine.Open(result.GetRequiredValue(library), model.Choice(result));
                using var grounder = GrounderOption.Open(result, grounderName, model);
                var options = engine.Options.Search with
                {
                    TopVideos = result.GetValue(top), MomentsPerVideo = result.GetValue(moments), Grounder = grounder, Channels = searched,
                };
                var answer = await engine.SearchAsync(result.GetRequiredValue(query), options, ct).ConfigureAwait(false);
                if (asJson)
                    CliJson.Write(console.Out, SearchAnswers.Local(answer, engine.Library.Directory, engine.Model.Identity.Name));
                else
                    WriteText(console.Out, answer);
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    internal static void WriteText(TextWriter output, SearchResult answer)
    {
        var c = CultureInfo.InvariantCulture;
        if (answer.Videos.Count == 0)
        {
            output.WriteLine("The library has no indexed video.");
            return;
        }
        for (var i = 0; i < answer.Videos.Count; i++)
        {
            var hit = answer.Videos[i];
            var chips = string.Join("  ", hit.Moments.Select(m => string.Create(c, $"[{Time(m.Start)}–{Time(m.End)}]")));
            output.WriteLine(string.Create(c, $"{i + 1,3}. {Score(hit.Score)}  {hit.Path}{(hit.Moments.Count == 0 ? "  (no match)" : "")}{Channels(hit.MatchedChannels)}"));
            if (chips.Length > 0)
                output.WriteLine($"       {chips}");
            foreach (var quote in hit.MatchedText.Take(3))
                output.WriteLine($"       {Quote(quote)}");
        }
        output.WriteLine();
        output.WriteLine("Best moments across the library:");
        foreach (var moment in answer.Moments)
            output.WriteLine(string.Create(c, $"  {Score(moment.Score)}  {Time(moment.Start)}–{Time(moment.End)}  {moment.Path}{Channels(moment.MatchedChannels)}"));
        output.WriteLine(string.Create(c, $"({answer.Timings.Total:0} ms)"));
    }

    /// <summary>"  [visual, subtitles]", or nothing when only the pictures were compared.</summary>
    private static string Channels(IReadOnlyList<SearchChannel> channels) =>
        channels.Count == 0 || (channels.Count == 1 && channels[0] == SearchChannel.Visual) ? "" : $"  [{string.Join(", ", channels.Select(SearchChannels.Name))}]";

    /// <summary>subtitles 0:04.0–0:08.5 "the quoted text" (lines joined by " / "), marked when its meaning matched rather than its words.</summary>
    internal static string Quote(MatchedText quote) =>
        $"{Vireo.Library.TextChannelNames.Name(quote.Channel)} {Time(quote.Start)}–{Time(quote.End)} \"{quote.Text.ReplaceLineEndings(" / ")}\""
        + (quote.ByMeaning ? " (same meaning)" : "");

    /// <summary>A score with three decimals, never "-0.000".</summary>
    internal static string Score(double score)
    {
        var rounded = Math.Round(score, 3);
        return (rounded == 0 ? 0 : rounded).ToString("0.000", CultureInfo.InvariantCulture);
    }

    internal static string Time(double seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours >= 1
            ? span.ToString(@"h\:mm\:ss\.f", CultureInfo.InvariantCulture)
            : span.ToString(@"m\:ss\.f", CultureInfo.InvariantCulture);
    }
}
