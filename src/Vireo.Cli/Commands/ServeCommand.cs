using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Vireo.Cluster;
using Vireo.Engine;
using Vireo.Server;
using Vireo.Cli.Terminal;
using Vireo.Server.Configuration;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo serve [--library DIR] [--urls URL] [--api-key KEY]</c>: the HTTP API and the web page for a library,
/// until interrupted. Loopback only unless an API key is given.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var library = LibraryOption.Create();
        var model = new ModelOptions();
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, ';'-separated.", DefaultValueFactory = _ => ServerOptions.DefaultUrls };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = "Key clients must send in the X-Api-Key header (default: $VIREO_API_KEY); required to listen on a non-loopback address.",
        };
        var grounderName = GrounderOption.Create("Search and ground then use it on the library's stored clips; the library must be indexed with the CLIP model it was trained on. " +
            "With --cluster: its name, imported under that name on every silo (each silo runs its own copy).");
        var cluster = new Option<bool>("--cluster") { Description = "Serve a whole cluster instead of one library (its silos found through --redis; video ids then name their shard)." };
        var clusterOptions = new ClusterOptions(client: true);
        var indexRoots = new Option<string[]>("--index-root")
        {
            Description = "With --cluster: a folder API clients may have the cluster index (POST /api/indexing/start), on a path every silo reaches; repeatable.",
        };
        var command = new Command("serve", "Serve a library over HTTP: search, moments, thumbnails, streaming and indexing, with a web page at the address printed.")
        {
            library, urls, apiKey, grounderName, cluster, indexRoots,
        };
        clusterOptions.AddTo(command);
        model.AddTo(command);
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, json: false, async () =>
        {
            var key = result.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("VIREO_API_KEY");
            if (result.GetValue(cluster))
            {
                using var embedding = model.Load(result);
                await using var client = await ClusterSearch.ConnectAsync(clusterOptions.Connection(result), ct).ConfigureAwait(false);
                var sharded = new ClusterLibrary(client, embedding, TimeSpan.FromSeconds(10));
                using var indexing = new ClusterBackgroundIngest(new ClusterIngest(client), [.. (result.GetValue(indexRoots) ?? []).Select(Path.GetFullPath)]);
                var served = new ServerOptions { Cluster = sharded, ClusterIndexing = indexing, Urls = result.GetRequiredValue(urls), ApiKey = key };
                served = served with { Search = served.Search with { GrounderName = GrounderOption.Name(result, grounderName) } };
                await ServeAsync(console, served, "the cluster", ct).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            using var engine = VireoEngine.Open(result.GetRequiredValue(library), model.Choice(result));
            using var grounder = GrounderOption.Open(result, grounderName, model);
            var videoLibrary = engine.Library;
            var defaults = new ServerOptions { Library = videoLibrary, Model = engine.Model };
            await ServeAsync(console, defaults with
            {
                Search = defaults.Search with { Grounder = grounder },
                Urls = result.GetRequiredValue(urls),
                ApiKey = key,
            }, videoLibrary.Directory, ct).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task ServeAsync(CliConsole console, ServerOptions options, string what, CancellationToken ct)
    {
        var app = VireoServer.Build(options);
        await using (app.ConfigureAwait(false))
        {
            await VireoServer.StartAsync(app, ct).ConfigureAwait(false);
            foreach (var url in app.Urls)
                console.Out.WriteLine($"Vireo serves {what} at {url} (open it in a browser; Ctrl+C stops)");
            await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
        }
    }
}
