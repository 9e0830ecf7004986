using Vireo.Retrieval;

namespace Vireo.Cluster;

/// <summary>The shard names a silo lists, or null when it did not answer.</summary>
internal sealed record SiloListing(string Silo, string[]? Shards);

/// <summary>
/// Which shards a cluster search covers, with the partition directory as the source of truth for partitions: each
/// partition is searched once, on the silo the directory names as its holder (a copy another silo serves during a
/// hand-off is left out), and a listed partition whose holder is gone or does not answer is an unavailable shard, named
/// in the answer, even when its holder never said it had videos. A partition whose holder answers but does not serve it
/// has no committed video yet (a holder serves a partition before the directory names it: <see cref="PartitionHandOff"/>).
/// Shards that are not partitions (a silo's own libraries) are searched wherever they are listed.
/// </summary>
internal static class ShardSelection
{
    public static List<ISearchShard> Select(DirectoryView view, IReadOnlyList<SiloListing> listings, IEnumerable<string> goneSilos, Func<string, string, ISearchShard> live)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(listings);
        ArgumentNullException.ThrowIfNull(live);
        var shards = new List<ISearchShard>();
        var answered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listing in listings.OrderBy(l => l.Silo, StringComparer.Ordinal))
        {
            if (listing.Shards is null)
            {
                shards.Add(UnavailableShard.OfSilo(listing.Silo));
                continue;
            }
            answered.Add(listing.Silo);
            foreach (var name in listing.Shards.Where(name => HeldHere(view, listing.Silo, name)))
                shards.Add(live(listing.Silo, name));
        }
        foreach (var (partition, holder) in view.Holders.OrderBy(h => h.Key))
        {
            if (!answered.Contains(holder))
                shards.Add(UnavailableShard.OfPartition(NameOf(holder, partition, view.Partitions), holder));
        }
        foreach (var gone in goneSilos.Where(s => listings.All(l => l.Silo != s)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            shards.Add(UnavailableShard.OfSilo(gone));
        return shards;
    }

    /// <summary>The shard name of a partition on its holder ("silo/p07").</summary>
    public static string NameOf(string silo, int partition, int partitions) => $"{silo}/{PartitionPlacement.FolderName(partition, partitions)}";

    /// <summary>False only for a partition the directory says another silo holds.</summary>
    private static bool HeldHere(DirectoryView view, string silo, string shard)
    {
        if (PartitionOf(view, silo, shard) is not { } partition || !view.Holders.TryGetValue(partition, out var holder))
            return true;
        return holder == silo;
    }

    /// <summary>The partition a shard of <paramref name="silo"/> is, when the silo holds data and the name is a partition's of this cluster.</summary>
    private static int? PartitionOf(DirectoryView view, string silo, string shard)
    {
        if (view.Partitions == 0 || !view.DataSilos.Contains(silo, StringComparer.Ordinal) || !shard.StartsWith(silo + "/", StringComparison.Ordinal))
            return null;
        var folder = shard[(silo.Length + 1)..];
        return PartitionPlacement.ParseFolderName(folder) is { } partition && partition < view.Partitions && PartitionPlacement.FolderName(partition, view.Partitions) == folder
            ? partition
            : null;
    }
}
