using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vireo.Cli.Terminal;
using Vireo.Cluster;
using Vireo.Embedding;
using Vireo.Engine;
using Vireo.Errors;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.Models;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo cluster index|leave</c> and the data folder of <c>vireo cluster silo --data DIR</c>: videos spread over the
/// silos' partitions, and a silo that hands its partitions to the others before it stops.
/// </summary>
internal static class ClusterIngestCommand
{
    public static Option<string?> DataOption() => new("--data")
    {
        Description = "This silo's data folder: it holds the cluster partitions given to this silo (one library each, p00, p01 ...), indexes into them and serves them.",
    };

    public static Option<int?> PartitionsOption() => new("--partitions")
    {
        Description = $"Partitions of a new cluster (default {PartitionPlacement.DefaultPartitions}; fixed once the cluster exists).",
    };

    /// <summary>The silo's model (its partitions' or its first shard's, else the one asked for) and its partitions, when it has a data folder.</summary>
    public static (EmbeddingModel Model, SiloPartitions? Partitions) OpenSilo(ModelChoice choice, string[] libraries, string? data, int? partitions, int threads)
    {
        if (libraries.Length == 0 && data is null)
            throw new UsageException("give --data DIR (this silo's partitions of the cluster), --library DIR (a shard), or both");
        // Ingest encodes images only: one single-threaded model shared by the pipeline's threads, as 'vireo index' does.
        choice = choice with { Encoder = (choice.Encoder ?? new EncoderOptions()) with { IntraOpThreads = 1 } };
        var folder = data is null ? null : SiloDataFolder.Open(data, partitions);
        var bound = libraries.Select(l => VideoLibrary.Open(l, create: false))
            .Concat(folder?.OnDisk().Select(p => VideoLibrary.Open(folder.PathOf(p), create: false)) ?? [])
            .FirstOrDefault(l => l.Settings is not null);
        var model = bound is null ? choice.Load() : choice.LoadFor(bound);
        var ingest = new IngestOptions { Embedding = new EmbeddingOptions { Encoder = EncoderMode.Shared, Threads = threads } };
        return (model, folder is null ? null : new SiloPartitions(folder, model, ingest));
    }

    public static Command Index(CliConsole console)
    {
        var paths = new Argument<string[]>("paths") { Description = "Video files or folders (searched recursively), on a path every silo reaches at the same place.", Arity = ArgumentArity.OneOrMore };
        var clusterOptions = new ClusterOptions(client: true);
        var wait = new Option<double>("--silo-wait") { Description = "Seconds videos wait for a silo that is down (its partitions are only on its disk).", DefaultValueFactory = _ => 300 };
        var json = CommandGuard.JsonOption();
        var command = new Command("index", "Index videos into the cluster: each goes to its partition's silo, which indexes it; a silo killed meanwhile gets its videos again when it is back.")
        {
            paths, wait, json,
        };
        clusterOptions.AddTo(command);
        wait.Check(s => s > 0, "--silo-wait must be positive");
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                await using var cluster = await ClusterSearch.ConnectAsync(clusterOptions.Connection(result), ct).ConfigureAwait(false);
                var ingest = new ClusterIngest(cluster, new ClusterIngestOptions { SiloWait = TimeSpan.FromSeconds(result.GetValue(wait)) });
                var inputs = result.GetRequiredValue(paths);
                var report = console.Interactive
                    ? await RunWithProgressAsync(console, ingest, inputs, ct).ConfigureAwait(false)
                    : await ingest.RunAsync(inputs, null, ct).ConfigureAwait(false);
                Write(console, asJson, report);
                if (report.Failures.Count == 0)
                    return ExitCodes.Ok;
                return report.Added + report.Unchanged == 0 ? ExitCodes.InputError : ExitCodes.Partial;
            });
        });
        return command;
    }

    private static Task<ClusterIngestReport> RunWithProgressAsync(CliConsole console, ClusterIngest ingest, string[] inputs, CancellationToken ct) =>
        console.ErrorConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("indexing", maxValue: 1);
                var progress = new Progress<ClusterIngestProgress>(p =>
                {
                    task.Value = p.Fraction;
                    var waiting = p.WaitingFor.Count == 0 ? "" : $", waiting for {string.Join(", ", p.WaitingFor)}";
                    task.Description = CliConsole.ProgressText(string.Create(CultureInfo.InvariantCulture,
                        $"{p.Done}/{p.Total} videos, {p.InFlight} in flight, {p.RealTimeFactor:0.0}x real time{waiting}"));
                });
                var report = await ingest.RunAsync(inputs, progress, ct).ConfigureAwait(false);
                task.Value = 1;
                return report;
            });

    private static void Write(CliConsole console, bool json, ClusterIngestReport report)
    {
        if (json)
        {
            CliJson.Write(console.Out, new
            {
                report.Added,
                report.Unchanged,
                failed = report.Failures,
                report.Resent,
                per_silo = report.PerSilo,
                seconds_indexed = report.SecondsIndexed,
                elapsed_seconds = report.Elapsed.TotalSeconds,
                real_time_factor = report.RealTimeFactor,
            });
            return;
        }
        var silos = string.Join(", ", report.PerSilo.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} ({s.Value})"));
        console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Added} added, {report.Unchanged} unchanged, {report.Failures.Count} failed, {report.Resent} sent again; " +
            $"{report.SecondsIndexed:0.#} s of video in {report.Elapsed.TotalSeconds:0.#} s ({report.RealTimeFactor:0.0}x real time) on {silos}"));
        foreach (var failure in report.Failures)
            console.Error.WriteLine($"failed: {failure.Error}");
    }

    public static Command Leave(CliConsole console)
    {
        var name = new Option<string>("--name") { Description = "The silo that leaves.", Required = true };
        var clusterOptions = new ClusterOptions(client: true);
        var command = new Command("leave", "Hand a silo's partitions to the other silos (then it may be stopped for good); it gets no new partition until it starts again.")
        {
            name,
        };
        clusterOptions.AddTo(command);
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, json: false, async () =>
        {
            await using var cluster = await ClusterSearch.ConnectAsync(clusterOptions.Connection(result), ct).ConfigureAwait(false);
            var silo = result.GetRequiredValue(name);
            var moved = await ClusterIngest.LeaveAsync(cluster, silo, ct).ConfigureAwait(false);
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"silo {silo} handed {moved} partition{(moved == 1 ? "" : "s")} to the others; it may be stopped now"));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
