using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vireo.Errors;
using Vireo.Ingest;
using Vireo.Models;

namespace Vireo.Cluster;

/// <summary>
/// What a silo started with a data folder adds: its partitions (<see cref="PartitionStore"/>), its ingest
/// (<see cref="PartitionIngestWorker"/>) and its <see cref="IPartitionHostGrain"/>. Once the silo is up it joins the
/// directory (claiming the partitions on its disk no one holds, deleting stale copies) and then pulls the partitions
/// that now belong on it (<see cref="TakeOver"/>, in the background).
/// </summary>
public sealed partial class SiloPartitions(SiloDataFolder data, EmbeddingModel model, IngestOptions ingest)
{
    public SiloDataFolder Data => data;

    /// <summary>The hand-off that follows the join: partitions moving here from the silos that held them.</summary>
    public Task<int> TakeOver { get; private set; } = Task.FromResult(0);

    internal void AddServices(IServiceCollection services, string silo, SiloShards shards)
    {
        services.AddSingleton(_ => new PartitionStore(silo, data, shards));
        services.AddSingleton(provider =>
        {
            var grains = provider.GetRequiredService<IGrainFactory>();
            return new PartitionIngestWorker(provider.GetRequiredService<PartitionStore>(), model, ingest,
                partition => grains.GetGrain<IPartitionDirectoryGrain>(0).AssignAsync(partition),
                provider.GetRequiredService<ILoggerFactory>().CreateLogger<PartitionIngestWorker>());
        });
    }

    /// <exception cref="UsageException">The cluster has another partition count than this silo's data folder.</exception>
    internal async Task JoinAsync(IServiceProvider services, string silo, CancellationToken cancellationToken)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        var answer = await grains.GetGrain<IPartitionDirectoryGrain>(0).JoinAsync(silo, data.Partitions, data.OnDisk()).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (answer.Refusal is { } refusal)
            throw new UsageException($"{data.Directory}: {refusal}");
        services.GetRequiredService<PartitionStore>().Open(answer.Stale);
        _ = services.GetRequiredService<PartitionIngestWorker>(); // its queue runs from now on
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger<SiloPartitions>();
        TakeOver = TakeOverAsync(grains.GetGrain<IPartitionHostGrain>(silo), log);
    }

    private static async Task<int> TakeOverAsync(IPartitionHostGrain self, ILogger log)
    {
        try
        {
            return await self.TakeOverAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogTakeOverFailure(log, e);
            return 0;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "taking over partitions failed; they stay with their holders")]
    private static partial void LogTakeOverFailure(ILogger log, Exception exception);
}
