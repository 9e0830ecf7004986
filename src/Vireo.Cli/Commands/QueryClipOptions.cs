using System.CommandLine;
using System.Globalization;
using Vireo.Cli.Terminal;
using Vireo.Engine;
using Vireo.Temporal;

namespace Vireo.Cli.Commands;

/// <summary>The query clip of a find-clip command: a video file and, optionally, the span of it to look for.</summary>
internal sealed class QueryClipOptions
{
    public Argument<string> Video { get; } = new("query-video") { Description = "The clip to look for: a video file (in the library or not)." };

    public Option<double?> Start { get; } = new("--start") { Description = "Start of the query clip in the video, in seconds (default: 0)." };

    public Option<double?> End { get; } = new("--end") { Description = "End of the query clip in the video, in seconds (default: the end of the video)." };

    /// <summary>Adds the video and the span to <paramref name="command"/>, with the span's checks.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(Video);
        command.Options.Add(Start);
        command.Options.Add(End);
        command.Validators.Add(r =>
        {
            if (!r.TryGetParsed(Start, out var s) || !r.TryGetParsed(End, out var e))
                return;
            if (s is < 0 || e is <= 0 || s is { } a && !double.IsFinite(a) || e is { } b && !double.IsFinite(b))
                r.AddError("--start and --end must be finite, --start at least 0 and --end above 0");
            else if (s is { } first && e is { } last && first >= last)
                r.AddError($"--start ({first.ToString(CultureInfo.InvariantCulture)}) must be before --end ({last.ToString(CultureInfo.InvariantCulture)})");
        });
    }

    /// <summary>The span asked for (null: the whole video).</summary>
    public Task<TemporalWindow?> SpanAsync(ParseResult result, CancellationToken cancellationToken) =>
        VireoEngine.SpanAsync(result.GetRequiredValue(Video), result.GetValue(Start), result.GetValue(End), cancellationToken);
}
