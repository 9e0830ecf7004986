using System.CommandLine;
using Vireo.Answers;
using Vireo.Cli.Terminal;
using Vireo.Cluster;
using Vireo.Engine;
using Vireo.Grounding.Trained;
using Vireo.Retrieval;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo cluster silo|search|find-clip</c>: a silo that owns library shards, and a search or find-clip of the whole
/// cluster as one library.
/// Membership in Redis (<c>--redis host:port</c>), or localhost clustering on one machine for development.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("cluster", "Run Vireo on several machines: silos own library shards; a search covers them all.");
        command.Subcommands.Add(Silo(console));
        command.Subcommands.Add(Search(console));
        command.Subcommands.Add(ClusterFindClipCommand.Create(console));
        command.Subcommands.Add(ClusterIngestCommand.Index(console));
        command.Subcommands.Add(ClusterIngestCommand.Leave(console));
        return command;
    }

    private static Command Silo(CliConsole console)
    {
        var name = new Option<string>("--name") { Description = "The silo's name, unique in the cluster (its shards are named NAME/FOLDER).", Required = true };
        var libraries = new Option<string[]>("--library") { Description = "A library folder this silo owns as a shard of its own (repeat for several).", AllowMultipleArgumentsPerToken = true };
        var data = ClusterIngestCommand.DataOption();
        var partitions = ClusterIngestCommand.PartitionsOption();
        var cluster = new ClusterOptions(client: false);
        var port = new Option<int>("--port") { Description = "Silo-to-silo port.", DefaultValueFactory = _ => 11111 };
        var gateway = new Option<int>("--gateway") { Description = "Port clients connect to.", DefaultValueFactory = _ => 30000 };
        var primary = new Option<int>("--primary-port") { Description = "Localhost clustering only: the first silo's --port.", DefaultValueFactory = _ => 11111 };
        var address = new Option<string>("--address") { Description = "With --redis: this machine's address that the other silos and clients reach (default 127.0.0.1: one machine).", DefaultValueFactory = _ => "127.0.0.1" };
        var model = new ModelOptions();
        var command = new Command("silo", "Start a silo that owns library shards and serves them to the cluster's searches (Ctrl+C stops it).")
        {
            name, libraries, data, partitions, port, gateway, primary, address,
        };
        cluster.AddTo(command);
        address.Check(a => System.Net.IPAddress.TryParse(a, out _), "--address must be an IP address (e.g. 10.0.0.11)");
        model.AddTo(command);
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, json: false, async () =>
        {
            var folders = result.GetValue(libraries) ?? [];
            var (siloModel, siloPartitions) = ClusterIngestCommand.OpenSilo(model.Choice(result), folders, result.GetValue(data), result.GetValue(partitions), result.GetValue(model.Threads));
            using var owned = siloModel;
            using var grounders = new SharedGrounders(new GrounderStore(result.GetValue(model.ModelsDirectory)), $"silo {result.GetRequiredValue(name)}");
            using var shards = new SiloShards(result.GetRequiredValue(name), folders, siloModel, new EngineOptions().Search, grounders);
            var connection = cluster.Connection(result) with { PrimarySiloPort = result.GetValue(primary) };
            var silo = new VireoSilo(result.GetRequiredValue(name), connection, result.GetValue(port), result.GetValue(gateway))
            {
                Address = System.Net.IPAddress.Parse(result.GetRequiredValue(address)),
                Partitions = siloPartitions,
            };
            using var host = await silo.StartAsync(shards, ct).ConfigureAwait(false);
            console.Out.WriteLine($"silo {result.GetRequiredValue(name)} is up with {(shards.Names.Length == 0 ? "no shard yet" : string.Join(", ", shards.Names))} (Ctrl+C stops it)");
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping: leave the cluster cleanly
            }
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Search(CliConsole console)
    {
        var query = new Argument<string>("query") { Description = "What to look for, in words." };
        var cluster = new ClusterOptions(client: true);
        var top = new Option<int>("--top", "-k") { Description = "Videos to return.", DefaultValueFactory = _ => 10 };
        var moments = new Option<int>("--moments") { Description = "Moments per video.", DefaultValueFactory = _ => 3 };
        var deadline = new Option<double>("--deadline") { Description = "Seconds each shard may take per search phase before the answer is made without it.", DefaultValueFactory = _ => 10 };
        var channels = new Option<string>("--channels") { Description = "What to search: visual, subtitles, speech, ocr (comma-separated).", DefaultValueFactory = _ => "visual,subtitles,speech,ocr" };
        var json = CommandGuard.JsonOption();
        var grounderName = GrounderOption.Create("Each silo opens the grounder of this name from its own model store (import it on every silo); a silo without it is named in the partial answer.");
        var model = new ModelOptions();
        var command = new Command("search", "Search every shard of the cluster as one library; shards that do not answer are named (a partial answer).")
        {
            query, top, moments, deadline, channels, json, grounderName,
        };
        cluster.AddTo(command);
        model.AddTo(command);
        top.Check(k => k >= 1, "--top must be at least 1");
        deadline.Check(s => s > 0, "--deadline must be positive");
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                using var embedding = model.Load(result);
                var options = new SearchOptions
                {
                    TopVideos = result.GetValue(top), MomentsPerVideo = result.GetValue(moments),
                    Channels = SearchChannels.Parse(result.GetRequiredValue(channels)), ShardDeadline = TimeSpan.FromSeconds(result.GetValue(deadline)),
                    GrounderName = GrounderOption.Name(result, grounderName),
                };
                await using var client = await ClusterSearch.ConnectAsync(cluster.Connection(result), ct).ConfigureAwait(false);
                var answer = await client.SearchAsync(LibrarySearcher.ValidateQuery(result.GetRequiredValue(query), options.MaxQueryLength), embedding, options, ct).ConfigureAwait(false);
                if (answer.MissingShards.Count > 0)
                    console.Error.WriteLine($"partial answer: {string.Join(", ", answer.MissingShards)} did not answer");
                if (asJson)
                    CliJson.Write(console.Out, SearchAnswers.Local(answer, "cluster", embedding.Identity.Name));
                else
                    SearchCommand.WriteText(console.Out, answer);
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
