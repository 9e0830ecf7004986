using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Vireo.Cluster;

/// <summary>
/// Where things go in a cluster. A video goes to partition hash(content hash) mod P, so its place depends on its bytes
/// only: a rename or a re-index keeps it, and the same content never lands in two partitions. A partition goes to the
/// silo of highest random weight (rendezvous hashing) among the silos that hold data, so an added silo takes about 1/n
/// of the partitions (and only from the others' share) and a removed one gives away only its own.
/// </summary>
public static class PartitionPlacement
{
    /// <summary>
    /// The partitions of a new cluster. Each partition is a library searched as one shard, so P bounds both the silos
    /// that can share the work (12 divides evenly over 1, 2, 3, 4, 6 and 12 silos) and the shard calls per query.
    /// </summary>
    public const int DefaultPartitions = 12;

    public const int MaxPartitions = 1000;

    /// <summary>The partition of a video, from its <see cref="Vireo.Library.ContentHash"/>.</summary>
    public static int PartitionOf(string contentHash, int partitions)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentHash);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return (int)(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(contentHash)) % (ulong)partitions);
    }

    /// <summary>The silo a partition belongs on among <paramref name="silos"/> (null when there is none).</summary>
    public static string? Owner(int partition, IEnumerable<string> silos)
    {
        ArgumentNullException.ThrowIfNull(silos);
        string? best = null;
        var bestWeight = 0UL;
        foreach (var silo in silos)
        {
            var weight = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{silo}\n{partition}")));
            if (best is null || weight > bestWeight || (weight == bestWeight && string.CompareOrdinal(silo, best) < 0))
                (best, bestWeight) = (silo, weight);
        }
        return best;
    }

    /// <summary>The folder of a partition in a silo's data folder: p00, p01 … (p000 … above 100 partitions).</summary>
    public static string FolderName(int partition, int partitions) =>
        "p" + partition.ToString(partitions > 100 ? "000" : "00", CultureInfo.InvariantCulture);

    /// <summary>The partition a folder name stands for, or null.</summary>
    public static int? ParseFolderName(string name) =>
        name is ['p', .. var digits] && digits.Length is 2 or 3 && digits.All(char.IsAsciiDigit)
            ? int.Parse(digits, CultureInfo.InvariantCulture)
            : null;
}
