using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Vireo.Cluster;

/// <summary>
/// Places a grain on the silo named by its key (a silo's name, <c>SiloOptions.SiloName</c>): a silo's shards are on its
/// own disk, so the grain that serves them must run there. When that silo is not in the cluster the grain cannot be
/// placed and the call fails, which a search reports as a missing shard.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloNamePlacement : PlacementStrategy
{
    internal static readonly SiloNamePlacement Instance = new();
}

/// <summary>Marks a grain class whose key names the silo it must run on (<see cref="SiloNamePlacement"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloNamePlacementAttribute() : PlacementAttribute(SiloNamePlacement.Instance);

/// <summary>
/// Finds the active silo whose name is the grain's key: its newest incarnation, since a silo restarted after a kill is
/// listed twice until the membership declares the old one dead.
/// </summary>
internal sealed class SiloNamePlacementDirector(ISiloStatusOracle silos) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var name = target.GrainIdentity.Key.ToString();
        SiloAddress? newest = null;
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (silos.TryGetSiloName(silo, out var siloName) && siloName == name && (newest is null || silo.Generation > newest.Generation))
                newest = silo;
        }
        return newest is not null ? Task.FromResult(newest) : throw new SiloUnavailableException($"silo {name} is not in the cluster");
    }
}
