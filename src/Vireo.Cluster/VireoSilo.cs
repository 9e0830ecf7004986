using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

namespace Vireo.Cluster;

/// <summary>
/// A silo of a Vireo cluster: an Orleans silo named <paramref name="Name"/> that owns <see cref="SiloShards"/> (ordinary
/// libraries on its disk) and serves them through its <see cref="IShardHostGrain"/>. With Redis membership it
/// advertises <see cref="Address"/> to the others (loopback by default: one machine; a machine's own address in a
/// real cluster).
/// </summary>
public sealed record VireoSilo(string Name, ClusterConnection Connection, int SiloPort, int GatewayPort)
{
    /// <summary>The address other silos and clients reach this one at.</summary>
    public System.Net.IPAddress Address { get; init; } = System.Net.IPAddress.Loopback;

    /// <summary>The silo's data folder of partitions, which makes it take part in ingest and placement (null: only its shards).</summary>
    public SiloPartitions? Partitions { get; init; }

    /// <summary>Starts the silo; it runs until the host is stopped (then leaves the cluster cleanly).</summary>
    public async Task<IHost> StartAsync(SiloShards shards, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shards);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            Connection.ConfigureSilo(silo, Name, Address, SiloPort, GatewayPort);
            silo.Services.AddSingleton(shards);
            silo.Services.AddSingleton<SiloVideos>();
            PartitionDirectoryStorage.AddTo(silo, Connection);
            Partitions?.AddServices(silo.Services, Name, shards);
            silo.Services.AddPlacementDirector<SiloNamePlacement, SiloNamePlacementDirector>();
            silo.AddIncomingGrainCallFilter(SiloErrorException.CarryAsync);
            ClusterConnection.AddSerialization(silo.Services);
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        if (Partitions is { } partitions)
            await partitions.JoinAsync(host.Services, Name, cancellationToken).ConfigureAwait(false);
        return host;
    }
}
