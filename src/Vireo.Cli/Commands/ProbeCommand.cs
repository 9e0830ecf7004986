using System.CommandLine;
using System.Globalization;
using Vireo.Media;
using Vireo.Cli.Terminal;

namespace Vireo.Cli.Commands;

/// <summary><c>vireo probe FILE [--json]</c>: what a video file holds.</summary>
internal static class ProbeCommand
{
    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "The video file." };
        var json = CommandGuard.JsonOption();
        var command = new Command("probe", "Show a video's duration, container and streams.") { file, json };
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                var info = await MediaProbe.ProbeVideoAsync(result.GetRequiredValue(file), cancellationToken: ct).ConfigureAwait(false);
                if (asJson)
                    CliJson.Write(console.Out, info);
                else
                    WriteText(console.Out, info);
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static void WriteText(TextWriter output, MediaInfo info)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(info.Path);
        output.WriteLine(string.Create(c, $"  container  {info.Container}"));
        output.WriteLine(string.Create(c, $"  duration   {info.Duration:0.###} s"));
        output.WriteLine(string.Create(c, $"  size       {info.SizeBytes} bytes{(info.BitRate is { } b ? $", {b / 1000} kb/s" : "")}"));
        foreach (var v in info.VideoStreams)
        {
            var rotation = v.Rotation != 0 ? $", rotated {v.Rotation}°" : "";
            var sar = Math.Abs(v.SampleAspectRatio - 1) > 1e-9 ? $", SAR {v.SampleAspectRatio:0.###}" : "";
            var vfr = v.IsVariableFrameRate ? " (variable)" : "";
            output.WriteLine(string.Create(c,
                $"  video #{v.Index}   {v.Codec} {v.Width}x{v.Height} {v.PixelFormat}, {v.FrameRate:0.###} fps{vfr}{rotation}{sar}, displayed {v.DisplayWidth}x{v.DisplayHeight}"));
        }
        foreach (var a in info.AudioStreams)
            output.WriteLine(string.Create(c, $"  audio #{a.Index}   {a.Codec} {a.SampleRate} Hz, {a.Channels} ch{(a.Language is null ? "" : ", " + a.Language)}"));
        foreach (var s in info.SubtitleStreams)
            output.WriteLine(string.Create(c, $"  subtitle #{s.Index} {s.Codec}{(s.Language is null ? "" : ", " + s.Language)}{(s.Title is null ? "" : $" \"{s.Title}\"")}"));
    }
}
