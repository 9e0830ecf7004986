using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vireo.Answers;
using Vireo.Engine;
using Vireo.Ingest;
using Vireo.Server.Endpoints;
using Vireo.Server.Indexing;
using Vireo.Library;
using Vireo.Server.Security;
using Vireo.Server.Configuration;

namespace Vireo.Server;

/// <summary>
/// Vireo's HTTP server: minimal APIs under /api (search, ground, find-clip, library status and indexing, thumbnails and
/// streaming), the OpenAPI document at /openapi/v1.json and the web page at /. Shared by <c>vireo serve</c>, the
/// tests and the load benchmark.
/// </summary>
public static class VireoServer
{
    /// <summary>
    /// Builds the application for <paramref name="options"/>; <paramref name="configure"/> may adjust the builder
    /// (logging, a test server) before it is built.
    /// </summary>
    /// <exception cref="Errors.UsageException">An address is not loopback and no API key was given, or an address is malformed.</exception>
    public static WebApplication Build(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var binding = BindingPolicy.Check(options.Urls, options.ApiKey);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Production, // never the developer exception page: no stack traces to clients
            ApplicationName = typeof(VireoServer).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Endpoints come from ServerOptions.Urls only, never from a "Kestrel" section of the configuration
            // (Kestrel__Endpoints__… in the environment, an appsettings.json in the working directory).
            kestrel.Configure(new ConfigurationBuilder().Build(), reloadOnChange: false);
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        if (binding.LoopbackOnly)
            builder.Services.AddHostFiltering(hosts => hosts.AllowedHosts = BindingPolicy.LoopbackHosts); // refuses DNS-rebinding pages
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None); // a failed start is thrown to the caller, who reports it
        builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true); // unreadable bodies reach ApiExceptionHandler
        builder.Services.ConfigureHttpJsonOptions(json => AnswerJson.Configure(json.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(options);
        if (options.Cluster is { } cluster)
            AddCluster(builder.Services, cluster, options.ClusterIndexing);
        else
            AddLibrary(builder.Services, options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<FindClipGate>();
        builder.Services.AddHostedService<BoundAddressCheck>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (binding.LoopbackOnly)
            app.UseHostFiltering();
        app.UseMiddleware<RequestLimitsMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<CrossSiteMiddleware>();

        var api = app.MapGroup("/api");
        if (options.Cluster is null)
        {
            api.MapSearchEndpoints();
            api.MapGroundEndpoints();
            api.MapFindClipEndpoints();
            api.MapLibraryEndpoints();
            api.MapMediaEndpoints();
        }
        else
        {
            api.MapClusterQueryEndpoints();
            api.MapClusterLibraryEndpoints();
            api.MapClusterMediaEndpoints();
        }
        api.MapSessionEndpoints();
        app.MapOpenApi();
        app.MapWebPage();
        return app;
    }

    /// <summary>One library's services: its engine (search, ground, find-clip, background ingest), roots guard and thumbnails.</summary>
    private static void AddLibrary(IServiceCollection services, ServerOptions options)
    {
        var library = options.Library ?? throw new Errors.UsageException("serve a library (or a cluster)");
        var model = options.Model ?? throw new Errors.UsageException("a library is served with its model");
        services.AddSingleton(library);
        services.AddSingleton(_ => VireoEngine.Over(library, model,
            new EngineOptions { Search = options.Search, Relocalization = options.Relocalization, Ingest = options.Indexing }));
        services.AddSingleton<RootsGuard>();
        services.AddSingleton<ThumbnailCache>();
        services.AddSingleton<IBackgroundIndexing>(provider => provider.GetRequiredService<VireoEngine>().Background);
        services.AddHostedService<BackgroundIngestHost>();
    }

    /// <summary>A cluster's services: the cluster as one library and, when offered, its distributed ingest.</summary>
    private static void AddCluster(IServiceCollection services, IShardedLibrary cluster, IShardedIndexing? indexing)
    {
        services.AddSingleton(cluster);
        if (indexing is null)
            return;
        services.AddSingleton(indexing);
        services.AddSingleton<IBackgroundIndexing>(indexing);
        services.AddHostedService<BackgroundIngestHost>();
    }

    /// <summary>
    /// Starts <paramref name="app"/> (<see cref="Build"/>'s), saying in one sentence what went wrong when it cannot.
    /// </summary>
    /// <exception cref="Errors.VireoException">The address is taken (<see cref="Errors.ErrorKind.Dependency"/>), or the server
    /// ended up listening beyond loopback without a key (<see cref="Errors.ErrorKind.Usage"/>).</exception>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AddressInUseException || e.InnerException is AddressInUseException)
        {
            throw new AddressTakenException(BindingPolicy.TakenAddress(e, app.Services.GetRequiredService<ServerOptions>().Urls), e);
        }
    }
}
