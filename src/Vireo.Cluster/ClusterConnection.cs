using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Serialization;
using Vireo.Errors;

namespace Vireo.Cluster;

/// <summary>
/// How silos and clients find each other: a Redis membership store (<c>--redis host:port</c>, Debian's redis-server;
/// what a real cluster uses), or localhost clustering for development on one machine (the first silo's port).
/// </summary>
public sealed record ClusterConnection
{
    /// <summary>The Orleans cluster id: silos and clients of one Vireo cluster share it.</summary>
    public string ClusterId { get; init; } = "vireo";

    /// <summary>A StackExchange.Redis connection string (<c>host:port</c>), or null for localhost clustering.</summary>
    public string? Redis { get; init; }

    /// <summary>Localhost clustering: the primary silo's port (the first silo started).</summary>
    public int PrimarySiloPort { get; init; } = 11111;

    /// <summary>Localhost clustering: the gateway port clients connect to.</summary>
    public int GatewayPort { get; init; } = 30000;

    internal const string ServiceId = "vireo";

    /// <summary>
    /// Vireo's records cross silos as JSON: exact doubles (shortest round-trip form), NaN allowed. Vireo's exceptions are
    /// left to Orleans' exception codec (JSON cannot write an exception: its TargetSite is a MethodBase).
    /// </summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    internal static void AddSerialization(IServiceCollection services) =>
        services.AddSerializer(builder => builder.AddJsonSerializer(IsVireoType, Json));

    private static bool IsVireoType(Type type) =>
        type.Namespace is { } ns && (ns == "Vireo" || ns.StartsWith("Vireo.", StringComparison.Ordinal)) && !typeof(Exception).IsAssignableFrom(type);

    internal void ConfigureSilo(ISiloBuilder silo, string name, IPAddress address, int siloPort, int gatewayPort)
    {
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, ServiceId));
        silo.Configure<SiloOptions>(o => o.SiloName = name);
        if (Redis is { } redis)
        {
            silo.UseRedisClustering(redis);
            silo.ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(address));
        }
        else
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort, new IPEndPoint(IPAddress.Loopback, PrimarySiloPort));
        }
    }

    internal void ConfigureClient(IClientBuilder client)
    {
        client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, ServiceId));
        if (Redis is { } redis)
            client.UseRedisClustering(redis);
        else
            client.UseLocalhostClustering(GatewayPort);
    }

    /// <summary><paramref name="count"/> loopback ports free at this moment (for silos started on one machine: tests, benchmarks).</summary>
    public static int[] FreeLoopbackPorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    /// <exception cref="UsageException">The connection string is empty.</exception>
    public static ClusterConnection Parse(string? redis) =>
        redis is null ? new ClusterConnection() : redis.Trim().Length == 0 ? throw new UsageException("--redis needs host:port") : new ClusterConnection { Redis = redis.Trim() };
}
