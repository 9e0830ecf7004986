using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Vireo.Cli;
using Vireo.Tests.Support;
using Vireo.Cli.Terminal;

namespace Vireo.Tests.Server;

/// <summary><c>vireo serve</c>: serves a library until cancelled, and refuses to expose it without a key.</summary>
public class ServeCommandTests(ServerLibrary shared) : IClassFixture<ServerLibrary>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Serve_answers_on_the_given_loopback_address_until_interrupted()
    {
        using var models = new TempFolder();
        var port = FreePort();
        var output = new StringWriter();
        var error = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var serving = VireoCli.InvokeAsync(
            ["serve", "--library", shared.Library.Directory, "--urls", $"http://127.0.0.1:{port}", "--models-dir", models.Path],
            new CliConsole(output, error, interactive: false), stop.Token);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        JsonElement? status = null;
        for (var i = 0; i < 300 && status is null && !serving.IsCompleted; i++)
        {
            try
            {
                status = JsonDocument.Parse(await http.GetStringAsync("/api/library", Ct)).RootElement.Clone();
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, Ct);
            }
        }
        Assert.True(status is not null, $"the server never answered: {error}");
        Assert.Equal(3, status.Value.GetProperty("indexed").GetInt32());
        Assert.Contains($"http://127.0.0.1:{port}", output.ToString(), StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Ok, await serving.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Serve_refuses_a_non_loopback_address_without_an_api_key()
    {
        using var models = new TempFolder();
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await VireoCli.InvokeAsync(
            ["serve", "--library", shared.Library.Directory, "--urls", "http://0.0.0.0:5999", "--models-dir", models.Path],
            new CliConsole(output, error, interactive: false), Ct);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("API key", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_on_a_taken_port_says_which_address_in_one_line_and_exits_with_the_dependency_code()
    {
        using var models = new TempFolder();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await VireoCli.InvokeAsync(
            ["serve", "--library", shared.Library.Directory, "--urls", address, "--models-dir", models.Path],
            new CliConsole(output, error, interactive: false), Ct);
        Assert.Equal(ExitCodes.Environment, code);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(address, lines[0], StringComparison.Ordinal);
        Assert.Contains("in use", lines[0], StringComparison.Ordinal);
    }
}
