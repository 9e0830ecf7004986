using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vireo.Server;
using Vireo.Server.Configuration;

namespace Vireo.Tests.Server;

/// <summary>A running server for a test: in memory (Mvc.Testing's WebApplicationFactory) or on a real loopback Kestrel port.</summary>
public sealed class RunningServer(IServiceProvider services, HttpClient client, Uri address, IAsyncDisposable host) : IAsyncDisposable
{
    public HttpClient Client { get; } = client;

    public Uri Address { get; } = address;

    public T Service<T>() where T : notnull => services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await host.DisposeAsync();
    }
}

/// <summary>
/// Microsoft.AspNetCore.Mvc.Testing's factory over <see cref="VireoServer.Build"/>. The factory normally starts an
/// application's entry point; Vireo's server is a library, so the factory is handed the application that
/// <see cref="VireoServer.Build"/> makes, on the factory's in-memory test server. The type argument only has to live
/// in an assembly with an entry point and a deps file, which the test assembly is.
/// </summary>
public sealed class VireoServerFactory(ServerOptions options) : WebApplicationFactory<VireoServerFactory>
{
    // Never built: CreateHost builds the real application instead.
    protected override IHostBuilder CreateHostBuilder() => new HostBuilder();

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var app = VireoServer.Build(options, web => web.WebHost.UseTestServer());
        app.Start();
        return app;
    }
}

public static class TestServers
{
    /// <summary>The server in memory, through Microsoft.AspNetCore.Mvc.Testing's <see cref="WebApplicationFactory{TEntryPoint}"/>.</summary>
    public static Task<RunningServer> InMemoryAsync(ServerOptions options)
    {
        var factory = new VireoServerFactory(options);
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        return Task.FromResult(new RunningServer(factory.Services, client, client.BaseAddress!, factory));
    }

    /// <summary>The server on Kestrel at the options' address (port 0: a free one), with a client for 127.0.0.1 on its port.</summary>
    public static async Task<RunningServer> KestrelAsync(ServerOptions options)
    {
        var app = VireoServer.Build(options);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var address = new Uri($"http://127.0.0.1:{bound.Port}/");
        return new RunningServer(app.Services, new HttpClient { BaseAddress = address }, address, app);
    }

    /// <summary>
    /// Sends <paramref name="target"/> exactly as written (HttpClient would normalise dot segments and escapes) and
    /// returns the status code and body.
    /// </summary>
    public static async Task<(int Status, string Body)> RawGetAsync(Uri server, string target, string host = "127.0.0.1")
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port, TestContext.Current.CancellationToken);
        await using var stream = tcp.GetStream();
        var request = Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(request, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        var statusLine = response.Split("\r\n", 2)[0];
        return (int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), response);
    }
}
