using Microsoft.Extensions.DependencyInjection;

namespace Vireo.Cluster;

/// <summary>Where the partition directory's state lives: Redis with Redis membership (it outlives every silo), memory with localhost clustering (development).</summary>
internal static class PartitionDirectoryStorage
{
    public const string Name = "vireo";

    public static void AddTo(ISiloBuilder silo, ClusterConnection connection)
    {
        if (connection.Redis is { } redis)
            silo.AddRedisGrainStorage(Name, options => options.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
        else
            silo.AddMemoryGrainStorage(Name);
    }
}
