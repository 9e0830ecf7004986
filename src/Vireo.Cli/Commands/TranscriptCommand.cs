using System.CommandLine;
using Vireo.Errors;
using Vireo.Media;
using Vireo.TimedText;
using Vireo.TimedText.Ocr;
using Vireo.TimedText.Speech;
using Vireo.TimedText.Subtitles;
using Vireo.Cli.Terminal;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo transcript VIDEO [--format srt|vtt|json] [--channels subtitles]</c>: what is said and written in a video, as
/// timed text from its channels, merged and sorted by time. Each channel is one case of <see cref="ReadChannelAsync"/>.
/// </summary>
internal static class TranscriptCommand
{
    /// <summary>How the transcript is written.</summary>
    internal enum TranscriptFormat
    {
        Srt,
        Vtt,
        Json,
    }

    private static readonly (string Name, TextChannel Channel)[] ChannelNames =
    [
        ("subtitles", TextChannel.Subtitles), ("speech", TextChannel.Speech), ("ocr", TextChannel.Ocr),
    ];

    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("video") { Description = "The video file." };
        var format = new Option<TranscriptFormat>("--format")
        {
            Description = "srt or vtt (a subtitle file on standard output, problems on standard error), or json (entries, problems and sources).",
            DefaultValueFactory = _ => TranscriptFormat.Srt,
        };
        var channels = new Option<string>("--channels")
        {
            Description = "Comma-separated channels to read: subtitles (embedded text tracks and sidecar files), ocr (text on screen, Tesseract), speech (Whisper; needs --speech-model or a pulled whisper model).",
            DefaultValueFactory = _ => "subtitles",
        };
        var speechModel = new Option<string?>("--speech-model")
        {
            Description = "The Whisper model for the speech channel: a pulled name (vireo models pull whisper-base) or a ggml file (default: the only pulled one).",
        };
        var modelsDirectory = new Option<string?>("--models-dir") { Description = "The model store (default: $VIREO_MODELS or the user's data folder)." };
        var json = CommandGuard.JsonOption();
        var command = new Command("transcript", "Print what is said and written in a video as timed text (its subtitle tracks and files).")
        {
            file, format, channels, speechModel, modelsDirectory, json,
        };
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json) || result.GetValue(format) == TranscriptFormat.Json;
            return CommandGuard.RunAsync(console, asJson, () => RunAsync(
                console, result.GetRequiredValue(file), ParseChannels(result.GetRequiredValue(channels)),
                asJson ? TranscriptFormat.Json : result.GetValue(format),
                () => new SpeechModelStore(result.GetValue(modelsDirectory)).Open(result.GetValue(speechModel)), ct));
        });
        return command;
    }

    /// <summary>The transcript as <c>--json</c> writes it.</summary>
    internal sealed record Transcript(
        string Video, IReadOnlyList<TextChannel> Channels, IReadOnlyList<TimedTextEntry> Entries,
        IReadOnlyList<TranscriptIssue> Issues, IReadOnlyList<TranscriptSource> Sources);

    /// <summary>A problem of one channel's source (<see cref="TimedTextIssue"/> with its channel).</summary>
    internal sealed record TranscriptIssue(TextChannel Channel, string Where, string Problem);

    /// <summary>One source a channel read: a subtitle track or file (later: a speech model, the OCR engine).</summary>
    internal sealed record TranscriptSource(
        TextChannel Channel, string Name, string Kind, string? Format, string? Language, string? Encoding, int Entries, int Issues);

    private sealed record ChannelReading(IReadOnlyList<TimedTextEntry> Entries, IReadOnlyList<TranscriptIssue> Issues, IReadOnlyList<TranscriptSource> Sources);

    private static async Task<int> RunAsync(CliConsole console, string video, IReadOnlyList<TextChannel> channels, TranscriptFormat format,
        Func<SpeechModel> speechModel, CancellationToken ct)
    {
        var media = await MediaProbe.ProbeAsync(video, cancellationToken: ct).ConfigureAwait(false);
        var entries = new List<TimedTextEntry>();
        var issues = new List<TranscriptIssue>();
        var sources = new List<TranscriptSource>();
        foreach (var channel in channels)
        {
            var reading = await ReadChannelAsync(channel, video, media, speechModel, ct).ConfigureAwait(false);
            entries.AddRange(reading.Entries);
            issues.AddRange(reading.Issues);
            sources.AddRange(reading.Sources);
        }
        entries.Sort(static (a, b) => (a.Start, a.End).CompareTo((b.Start, b.End)) is var byTime and not 0
            ? byTime
            : string.CompareOrdinal(a.Source, b.Source));

        if (format == TranscriptFormat.Json)
        {
            CliJson.Write(console.Out, new Transcript(video, channels, entries, issues, sources));
            return ExitCodes.Ok;
        }
        foreach (var issue in issues)
            console.Error.WriteLine($"warning: {issue.Where}: {issue.Problem}");
        if (channels.Contains(TextChannel.Subtitles) && !sources.Any(s => s.Channel == TextChannel.Subtitles))
            console.Error.WriteLine($"{video}: no subtitles found (no text subtitle stream, no subtitle file beside it)");
        if (format == TranscriptFormat.Vtt)
            SubtitleWriter.WriteVtt(console.Out, entries);
        else
            SubtitleWriter.WriteSrt(console.Out, entries);
        return ExitCodes.Ok;
    }

    /// <summary>The channels <see cref="ReadChannelAsync"/> can read.</summary>
    private static readonly TextChannel[] Available = [TextChannel.Subtitles, TextChannel.Speech, TextChannel.Ocr];

    /// <summary>Reads one channel. The speech and OCR channels plug in here (and in <see cref="Available"/>).</summary>
    private static async Task<ChannelReading> ReadChannelAsync(TextChannel channel, string video, MediaInfo media, Func<SpeechModel> speechModel, CancellationToken ct)
    {
        switch (channel)
        {
            case TextChannel.Subtitles:
                var subtitles = await SubtitleChannel.ReadAsync(video, media, cancellationToken: ct).ConfigureAwait(false);
                return new ChannelReading(
                    subtitles.Entries,
                    [.. subtitles.Issues.Select(i => new TranscriptIssue(channel, i.Where, i.Problem))],
                    [.. subtitles.Sources.Select(s => new TranscriptSource(
                        channel, s.Name, s.Kind == SubtitleSourceKind.Embedded ? "embedded" : "sidecar",
                        s.Format?.ToString().ToLowerInvariant(), s.Language, s.Encoding, s.Cues, s.Issues))]);
            case TextChannel.Speech:
                using (var model = speechModel())
                {
                    var speech = await SpeechChannel.TranscribeAsync(video, model, cancellationToken: ct).ConfigureAwait(false);
                    return new ChannelReading(speech.Entries,
                        [.. speech.Issues.Select(i => new TranscriptIssue(channel, i.Where, i.Problem))],
                        [new TranscriptSource(channel, model.Source, "speech", null, speech.Language, null, speech.Segments.Count, speech.Issues.Count)]);
                }
            case TextChannel.Ocr:
                var ocr = await OcrChannel.ReadAsync(video, cancellationToken: ct).ConfigureAwait(false);
                return new ChannelReading(ocr.Entries, [],
                    [new TranscriptSource(channel, "tesseract", "ocr", null, null, null, ocr.Entries.Count, 0)]);
            default:
                throw new System.Diagnostics.UnreachableException($"{channel} passed ParseChannels but has no reader");
        }
    }

    private static string AvailableNames => string.Join(", ", Available.Select(Name));

    private static string Name(TextChannel channel) => Array.Find(ChannelNames, c => c.Channel == channel).Name;

    /// <summary>"subtitles,speech" → the channels, each once, in the order given; unknown or unavailable names are usage errors.</summary>
    internal static IReadOnlyList<TextChannel> ParseChannels(string text)
    {
        var channels = new List<TextChannel>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var known = Array.FindIndex(ChannelNames, c => c.Name.Equals(part, StringComparison.OrdinalIgnoreCase));
            if (known < 0)
                throw new UsageException($"--channels: unknown channel '{part}' (known: {string.Join(", ", ChannelNames.Select(c => c.Name))})");
            var channel = ChannelNames[known].Channel;
            if (!Available.Contains(channel))
                throw new UsageException($"--channels: the {Name(channel)} channel is not available yet (available: {AvailableNames})");
            if (!channels.Contains(channel))
                channels.Add(channel);
        }
        return channels.Count > 0 ? channels : throw new UsageException($"--channels: name at least one channel (available: {AvailableNames})");
    }
}
