using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Vireo.Server;

namespace Vireo.Tests.Server;

/// <summary>A running server for a test: in memory (ASP.NET Core's TestServer) or on a real loopback Kestrel port.</summary>
public sealed class RunningServer(WebApplication app, HttpClient client, Uri address) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    public HttpClient Client { get; } = client;

    public Uri Address { get; } = address;

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

public static class TestServers
{
    /// <summary>The server in memory, through Microsoft.AspNetCore.TestHost (the in-process host of Microsoft.AspNetCore.Mvc.Testing).</summary>
    public static async Task<RunningServer> InMemoryAsync(ServerOptions options)
    {
        var app = VireoServer.Build(options, builder => builder.WebHost.UseTestServer());
        await app.StartAsync(TestContext.Current.CancellationToken);
        var client = app.GetTestClient();
        return new RunningServer(app, client, client.BaseAddress!);
    }

    /// <summary>The server on Kestrel at the options' address (port 0: a free one), with a client for 127.0.0.1 on its port.</summary>
    public static async Task<RunningServer> KestrelAsync(ServerOptions options)
    {
        var app = VireoServer.Build(options);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var address = new Uri($"http://127.0.0.1:{bound.Port}/");
        return new RunningServer(app, new HttpClient { BaseAddress = address }, address);
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
