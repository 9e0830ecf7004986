using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vireo.Relocalization;
using Vireo.Retrieval;
using Vireo.Server.Endpoints;
using Vireo.Server.Indexing;
using Vireo.Server.Media;
using Vireo.Server.Security;

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
    /// <exception cref="ArgumentException">An address is not loopback and no API key was given, or an address is malformed.</exception>
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
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestLineSize = 16 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
        });
        if (binding.LoopbackOnly)
            builder.Services.AddHostFiltering(hosts => hosts.AllowedHosts = BindingPolicy.LoopbackHosts); // refuses DNS-rebinding pages
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(json => Configure(json.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(options.Library);
        builder.Services.AddSingleton(options.Model);
        builder.Services.AddSingleton(_ => new LibrarySearcher(options.Library, options.Model, options.Search));
        builder.Services.AddSingleton(_ => new Relocalizer(options.Library, options.Model, options.Relocalization));
        builder.Services.AddSingleton<RootsGuard>();
        builder.Services.AddSingleton<ThumbnailCache>();
        builder.Services.AddSingleton<IndexingService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IndexingService>());
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (binding.LoopbackOnly)
            app.UseHostFiltering();
        app.UseMiddleware<RequestLimitsMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();

        var api = app.MapGroup("/api");
        api.MapSearchEndpoints();
        api.MapGroundEndpoints();
        api.MapFindClipEndpoints();
        api.MapLibraryEndpoints();
        api.MapMediaEndpoints();
        api.MapSessionEndpoints();
        app.MapOpenApi();
        app.MapWebPage();
        return app;
    }

    /// <summary>The API's JSON conventions: snake_case keys (as <c>--json</c> and the datasets' files), enums as strings.</summary>
    public static void Configure(JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        json.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }
}
