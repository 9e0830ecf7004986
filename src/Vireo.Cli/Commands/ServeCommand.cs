using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
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
        var grounderName = GrounderOption.Create("Search and ground then use it on the library's stored clips; the library must be indexed with the CLIP model it was trained on.");
        var command = new Command("serve", "Serve a library over HTTP: search, moments, thumbnails, streaming and indexing, with a web page at the address printed.")
        {
            library, urls, apiKey, grounderName,
        };
        model.AddTo(command);
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, json: false, async () =>
        {
            using var engine = VireoEngine.Open(result.GetRequiredValue(library), model.Choice(result));
            using var grounder = GrounderOption.Open(result, grounderName, model);
            var videoLibrary = engine.Library;
            var defaults = new ServerOptions { Library = videoLibrary, Model = engine.Model };
            var app = VireoServer.Build(defaults with
            {
                Search = defaults.Search with { Grounder = grounder },
                Urls = result.GetRequiredValue(urls),
                ApiKey = result.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("VIREO_API_KEY"),
            });
            await using (app.ConfigureAwait(false))
            {
                await VireoServer.StartAsync(app, ct).ConfigureAwait(false);
                foreach (var url in app.Urls)
                    console.Out.WriteLine($"Vireo serves {videoLibrary.Directory} at {url} (open it in a browser; Ctrl+C stops)");
                await app.WaitForShutdownAsync(ct).ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        }));
        return command;
    }
}
