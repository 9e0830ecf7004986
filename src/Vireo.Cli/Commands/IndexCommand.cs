using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vireo.Embedding;
using Vireo.Engine;
using Vireo.Library;
using Vireo.Models;
using Vireo.Ingest;
using Vireo.Cli.Terminal;
using Vireo.Errors;
using Vireo.TimedText;
using Vireo.TimedText.Speech;

namespace Vireo.Cli.Commands;

/// <summary><c>vireo index PATH... [--library DIR] [--model M]</c>: add videos to a library, incrementally.</summary>
internal static class IndexCommand
{
    public static Command Create(CliConsole console)
    {
        var paths = new Argument<string[]>("paths") { Description = "Video files or folders (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var library = LibraryOption.Create();
        var model = new ModelOptions();
        var prune = new Option<bool>("--prune") { Description = "Remove catalog entries whose files no longer exist." };
        var defaults = new EmbeddingOptions(); // the measured defaults (docs/architecture.md "Ingest pipeline")
        var clipLength = new Option<double>("--clip-length") { Description = "Clip length in seconds (fixed per library).", DefaultValueFactory = _ => defaults.ClipLength };
        var framesPerClip = new Option<int>("--frames-per-clip")
        {
            Description = "Frames sampled and mean-pooled per clip (fixed per library; 2 per 2-s clip = 1 frame/s, chosen by measurement).",
            DefaultValueFactory = _ => defaults.FramesPerClip,
        };
        var batch = new Option<int>("--batch-size") { Description = "Frames per model call.", DefaultValueFactory = _ => defaults.BatchSize };
        var skipLoopFilter = new Option<bool>("--skip-loop-filter")
        {
            Description = "Decode H.264/HEVC about 15% faster without the deblocking filter: the right frames, slightly blocky (mean pixel " +
                "difference 0.3-0.6 of 255, measured in docs/media-measurements.md). Off by default.",
        };
        var skipNonReference = new Option<bool>("--skip-nonref")
        {
            Description = "Let FFmpeg skip every frame nothing refers to (-skip_frame noref): most samples then become a frame one or two later than " +
                "their time (measured in docs/media-measurements.md). Off by default, and rarely worth it: by default H.264/HEVC already skip the " +
                "frames no sample needs, at the same cost, and every sample stays the frame its time asks for.",
        };
        var channels = new Option<string>("--channels")
        {
            Description = "Timed text to read and store for search, comma-separated: subtitles (embedded tracks and sidecar files), ocr (text on screen, " +
                "needs Tesseract), speech (Whisper, needs a model: --speech-model), or none. Videos already indexed get only the channels they lack, without decoding their clips again.",
            DefaultValueFactory = _ => "subtitles",
        };
        var speechModel = new Option<string?>("--speech-model")
        {
            Description = "The Whisper model of the speech channel: a pulled name (vireo models pull whisper-base) or a ggml file (default: the only pulled one).",
        };
        var json = CommandGuard.JsonOption();
        var command = new Command("index", "Index videos into a library: decode, encode and store clip embeddings. Unchanged files are skipped; killing it loses nothing committed.")
        {
            paths, library, prune, clipLength, framesPerClip, batch, skipNonReference, skipLoopFilter, channels, speechModel, json,
        };
        model.AddTo(command);
        clipLength.Check(OptionChecks.Positive, "--clip-length must be a positive number");
        framesPerClip.Check(n => n >= 1, "--frames-per-clip must be at least 1");
        batch.Check(n => n >= 1, "--batch-size must be at least 1");
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                var textChannels = ParseChannels(result.GetRequiredValue(channels));
                // Indexing encodes images only: the model is loaded single-threaded and the pipeline runs one call per
                // thread of its budget on it (EncoderMode.Shared), without a second copy of the weights.
                var choice = model.Choice(result);
                choice = choice with { Encoder = (choice.Encoder ?? new EncoderOptions()) with { IntraOpThreads = 1 } };
                using var engine = VireoEngine.OpenForIngest(result.GetRequiredValue(library), choice);
                var options = engine.Options.Ingest with
                {
                    Embedding = new EmbeddingOptions
                    {
                        ClipLength = result.GetValue(clipLength),
                        FramesPerClip = result.GetValue(framesPerClip),
                        BatchSize = result.GetValue(batch),
                        Threads = result.GetValue(model.Threads), // the whole pipeline's budget: FFmpeg and the encoder together
                        Encoder = EncoderMode.Shared,
                        SkipNonReferenceFrames = result.GetValue(skipNonReference),
                        SkipLoopFilter = result.GetValue(skipLoopFilter),
                    },
                    Prune = result.GetValue(prune),
                    Channels = textChannels,
                    SpeechModel = textChannels.Contains(TextChannel.Speech)
                        ? new SpeechModelStore(result.GetValue(model.ModelsDirectory)).Resolve(result.GetValue(speechModel))
                        : null,
                };
                var report = console.Interactive
                    ? await RunWithProgressAsync(console, engine, options, result.GetRequiredValue(paths), ct).ConfigureAwait(false)
                    : await engine.IndexAsync(result.GetRequiredValue(paths), options, null, ct).ConfigureAwait(false);
                Write(console, asJson, report, engine.Library);
                return ExitCode(report);
            });
        });
        return command;
    }

    /// <summary>"subtitles,ocr" → the text channels; "none" → none.</summary>
    internal static IReadOnlySet<TextChannel> ParseChannels(string list)
    {
        var channels = new HashSet<TextChannel>();
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (name.Equals("none", StringComparison.OrdinalIgnoreCase))
                continue;
            channels.Add(TextChannelNames.Parse(name) ?? throw new UsageException($"'{name}' is not a text channel; use subtitles, ocr, speech (or none)"));
        }
        return channels;
    }

    private static async Task<IngestReport> RunWithProgressAsync(CliConsole console, VireoEngine engine, IngestOptions options, string[] paths, CancellationToken ct)
    {
        return await console.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("indexing", maxValue: 1);
                var progress = new Progress<IngestProgress>(p =>
                {
                    task.Value = p.Fraction;
                    var name = p.CurrentFile is null ? "" : Path.GetFileName(p.CurrentFile);
                    task.Description = CliConsole.ProgressText(string.Create(CultureInfo.InvariantCulture,
                        $"{p.FilesDone}/{p.FilesTotal} files, {p.RealTimeFactor:0.0}x real time, {name}"));
                });
                var report = await engine.IndexAsync(paths, options, progress, ct).ConfigureAwait(false);
                task.Value = 1;
                return report;
            }).ConfigureAwait(false);
    }

    /// <summary>0 when every file is indexed (damaged ones included), 5 when some failed, 2 when every file failed.</summary>
    private static int ExitCode(IngestReport report)
    {
        if (report.Failures.Count == 0)
            return ExitCodes.Ok;
        return report.Added + report.Updated + report.Unchanged + report.Reused == 0 ? ExitCodes.InputError : ExitCodes.Partial;
    }

    private static void Write(CliConsole console, bool json, IngestReport report, VideoLibrary library)
    {
        if (json)
        {
            CliJson.Write(console.Out, new
            {
                library = library.Directory,
                report.Added,
                report.Updated,
                report.Unchanged,
                report.Reused,
                report.Pruned,
                failed = report.Failures,
                damaged = report.Damaged.Select(d => new
                {
                    path = d.Path,
                    indexed_until = Math.Round(d.IndexedUntil, 3),
                    duration = Math.Round(d.Duration, 3),
                    spans = d.Spans.Select(span => new[] { Math.Round(span.Start, 3), Math.Round(span.End, 3) }),
                    error = d.Error,
                }),
                channels_read = report.ChannelReads.Select(r => new { path = r.Path, channel = TextChannelNames.Name(r.Channel), entries = r.Entries, added = r.AddedToIndexedVideo }),
                channel_failures = report.ChannelFailures,
                seconds_indexed = report.SecondsIndexed,
                elapsed_seconds = report.Elapsed.TotalSeconds,
                real_time_factor = report.RealTimeFactor,
            });
            return;
        }
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Added} added, {report.Updated} updated, {report.Unchanged} unchanged, {report.Reused} reused, {report.Pruned} pruned, {report.Failures.Count} failed{DamagedSummary(report)}; " +
            $"{report.SecondsIndexed:0.#} s of video in {report.Elapsed.TotalSeconds:0.#} s ({report.RealTimeFactor:0.0}x real time) -> {library.Directory}"));
        if (report.ChannelReads.Count > 0)
            console.Out.WriteLine(ChannelSummary(report));
        foreach (var failure in report.Failures)
            console.Error.WriteLine($"failed: {failure.Error}");
        foreach (var failure in report.ChannelFailures)
            console.Error.WriteLine($"channel failed: {failure}");
        foreach (var damaged in report.Damaged)
            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"damaged: {damaged.Path}: {Extent(damaged)} of {damaged.Duration:0.0} s; damaged at {string.Join(", ", damaged.Spans.Select(Seconds))} ({damaged.Error})"));
    }

    /// <summary>"text: subtitles read in 3 videos (42 entries), ocr in 1 (6 entries; 1 added to an indexed video)".</summary>
    private static string ChannelSummary(IngestReport report) => "text: " + string.Join(", ", report.ChannelReads
        .GroupBy(r => r.Channel)
        .OrderBy(g => g.Key)
        .Select(g => string.Create(CultureInfo.InvariantCulture,
            $"{TextChannelNames.Name(g.Key)} read in {g.Count()} video{(g.Count() == 1 ? "" : "s")} ({g.Sum(r => r.Entries)} entries{Added(g.Count(r => r.AddedToIndexedVideo))})")));

    private static string Added(int count) => count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"; {count} added to indexed videos");

    /// <summary>", 1 damaged (indexed up to 8.0 s)", or nothing.</summary>
    private static string DamagedSummary(IngestReport report) => report.Damaged switch
    {
        [] => "",
        [var one] => $", 1 damaged ({Extent(one)})",
        var many => $", {many.Count} damaged (listed below)",
    };

    private static string Extent(IngestDamage damage) => damage.IndexedUntil < damage.Duration - 1e-3
        ? string.Create(CultureInfo.InvariantCulture, $"indexed up to {damage.IndexedUntil:0.0} s")
        : "indexed to the end";

    private static string Seconds(Vireo.Temporal.TemporalWindow span) => string.Create(CultureInfo.InvariantCulture, $"{span.Start:0.0}-{span.End:0.0} s");
}
