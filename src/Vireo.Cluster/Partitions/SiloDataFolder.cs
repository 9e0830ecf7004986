using System.Globalization;
using System.Text.Json;
using Vireo.Errors;
using Vireo.Library;

namespace Vireo.Cluster;

/// <summary>
/// A silo's data folder: one ordinary Vireo library per partition it holds (<c>p07/</c>), <c>cluster.json</c> with the
/// cluster's partition count (written when the folder is first used, checked on every start), and the staging folders
/// of hand-offs (<c>.incoming/</c> while a partition arrives, <c>.outgoing/</c> while one leaves).
/// </summary>
public sealed class SiloDataFolder
{
    private const string SettingsFile = "cluster.json";

    private SiloDataFolder(string directory, int partitions) => (Directory, Partitions) = (directory, partitions);

    public string Directory { get; }

    /// <summary>The cluster's partition count.</summary>
    public int Partitions { get; }

    /// <summary>
    /// Opens (or creates) the data folder. <paramref name="partitions"/> is the count asked for (null: the folder's own, else
    /// <see cref="PartitionPlacement.DefaultPartitions"/>); a folder made for another count is refused.
    /// </summary>
    /// <exception cref="UsageException">The count is out of range, or the folder was made for another one.</exception>
    /// <exception cref="InputException">The folder's cluster.json is damaged.</exception>
    public static SiloDataFolder Open(string directory, int? partitions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (partitions is < 1 or > PartitionPlacement.MaxPartitions)
            throw new UsageException($"--partitions must be between 1 and {PartitionPlacement.MaxPartitions}");
        var full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        var settings = Path.Combine(full, SettingsFile);
        if (File.Exists(settings))
        {
            var recorded = Read(settings);
            if (partitions is { } asked && asked != recorded)
                throw new UsageException($"{full} holds partitions of a cluster of {recorded}, not {asked}: the partition count is fixed when the cluster is created");
            return new SiloDataFolder(full, recorded);
        }
        var count = partitions ?? PartitionPlacement.DefaultPartitions;
        var temporary = settings + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Dictionary<string, int> { ["partitions"] = count }));
        File.Move(temporary, settings, overwrite: true);
        return new SiloDataFolder(full, count);
    }

    private static int Read(string settings)
    {
        try
        {
            var values = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(settings));
            if (values is not null && values.TryGetValue("partitions", out var count) && count is >= 1 and <= PartitionPlacement.MaxPartitions)
                return count;
        }
        catch (JsonException)
        {
        }
        throw new InputException(settings, "is damaged: it should say {\"partitions\": N}");
    }

    /// <summary>The library folder of a partition.</summary>
    public string PathOf(int partition) => Path.Combine(Directory, PartitionPlacement.FolderName(partition, Partitions));

    /// <summary>Where a partition arriving from another silo is assembled before it is switched in.</summary>
    public string IncomingOf(int partition) => Path.Combine(Directory, ".incoming", PartitionPlacement.FolderName(partition, Partitions));

    /// <summary>Where the snapshot of a partition leaving for another silo is kept while it is copied.</summary>
    public string OutgoingOf(int partition) => Path.Combine(Directory, ".outgoing", PartitionPlacement.FolderName(partition, Partitions));

    /// <summary>The partitions on this disk: folders named like a partition that hold a catalog.</summary>
    public int[] OnDisk() =>
    [
        .. System.IO.Directory.EnumerateDirectories(Directory)
            .Select(d => PartitionPlacement.ParseFolderName(Path.GetFileName(d)))
            .OfType<int>()
            .Where(p => p < Partitions && File.Exists(Path.Combine(PathOf(p), VideoLibrary.CatalogFileName)))
            .Order(),
    ];

    /// <summary>Removes the staging of hand-offs a stop interrupted (the partition stayed with its holder).</summary>
    public void ClearStaging()
    {
        foreach (var staging in new[] { ".incoming", ".outgoing" })
        {
            var path = Path.Combine(Directory, staging);
            if (System.IO.Directory.Exists(path))
                System.IO.Directory.Delete(path, recursive: true);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Directory} ({Partitions} partitions)");
}
