using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Vireo.Tests.Cluster;

/// <summary>
/// A throw-away Redis (Debian's redis-server) on a free loopback port, no persistence, for the cluster's membership;
/// killed when disposed. Skipped with a message where redis-server is not installed, failed under CI (./test.sh and
/// .ci/run install it: scripts/ensure-redis.sh).
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port) => (_process, Port) = (process, port);

    public int Port { get; }

    public string Connection => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var executable = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);
        if (executable is null)
        {
            const string message = "redis-server is not installed (apt-get install redis-server, or scripts/ensure-redis.sh); this test runs a cluster with Redis membership";
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
                Assert.Fail(message + " and CI must have it");
            Assert.Skip(message);
        }
        var port = Vireo.Cluster.ClusterConnection.FreeLoopbackPorts(1)[0];
        var info = new ProcessStartInfo(executable!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start redis-server");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var server = new RedisServer(process, port);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException) when (watch.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
