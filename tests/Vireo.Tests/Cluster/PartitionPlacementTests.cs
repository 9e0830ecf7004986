using Vireo.Cluster;

namespace Vireo.Tests.Cluster;

/// <summary>The placement rules: a video's partition depends on its content only; rendezvous hashing moves few partitions when silos come and go.</summary>
public class PartitionPlacementTests
{
    private const int Partitions = 1200;

    private static readonly string[] ThreeSilos = ["silo-a", "silo-b", "silo-c"];

    private static Dictionary<int, string> Place(IEnumerable<string> silos) =>
        Enumerable.Range(0, Partitions).ToDictionary(p => p, p => PartitionPlacement.Owner(p, silos)!);

    [Fact]
    public void An_added_silo_takes_about_a_share_and_only_from_the_others()
    {
        var before = Place(ThreeSilos);
        var after = Place([.. ThreeSilos, "silo-d"]);

        var moved = Enumerable.Range(0, Partitions).Where(p => before[p] != after[p]).ToList();

        Assert.All(moved, p => Assert.Equal("silo-d", after[p]));
        Assert.InRange(moved.Count / (double)Partitions, 0.25 - 0.05, 0.25 + 0.05);
    }

    [Fact]
    public void A_removed_silo_gives_away_only_its_own_spread_over_the_others()
    {
        var before = Place(ThreeSilos);
        var after = Place(["silo-a", "silo-c"]);

        var moved = Enumerable.Range(0, Partitions).Where(p => before[p] != after[p]).ToList();

        Assert.All(moved, p => Assert.Equal("silo-b", before[p]));
        Assert.Equal(before.Count(p => p.Value == "silo-b"), moved.Count);
        Assert.InRange(moved.Count(p => after[p] == "silo-a") / (double)moved.Count, 0.4, 0.6);
    }

    [Fact]
    public void Partitions_spread_evenly_and_the_order_of_silos_does_not_matter()
    {
        var counts = Place(ThreeSilos).GroupBy(p => p.Value).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(ThreeSilos, s => Assert.InRange(counts[s], 340, 460));
        Assert.Equal(Place(ThreeSilos), Place(ThreeSilos.Reverse()));
        Assert.Null(PartitionPlacement.Owner(3, []));
    }

    [Fact]
    public void A_video_goes_to_the_same_partition_every_time_and_videos_spread_over_all()
    {
        var hashes = Enumerable.Range(0, 1200).Select(i => i.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var partitions = hashes.Select(h => PartitionPlacement.PartitionOf(h, 12)).ToList();

        Assert.Equal(partitions, hashes.Select(h => PartitionPlacement.PartitionOf(h, 12)));
        Assert.All(partitions.GroupBy(p => p), g => Assert.InRange(g.Count(), 60, 140));
        Assert.Equal(12, partitions.Distinct().Count());
    }

    [Theory]
    [InlineData(7, 12, "p07")]
    [InlineData(7, 200, "p007")]
    public void Partition_folders_are_named_and_read_back(int partition, int partitions, string name)
    {
        Assert.Equal(name, PartitionPlacement.FolderName(partition, partitions));
        Assert.Equal(partition, PartitionPlacement.ParseFolderName(name));
        Assert.Null(PartitionPlacement.ParseFolderName("library"));
    }

    [Fact]
    public void A_data_folder_keeps_its_partition_count_and_refuses_another()
    {
        var folder = Vireo.Tests.Support.TestVideos.NewPath("silo-data");
        Assert.Equal(16, SiloDataFolder.Open(folder, 16).Partitions);
        Assert.Equal(16, SiloDataFolder.Open(folder).Partitions);
        var refused = Assert.Throws<Vireo.Errors.UsageException>(() => SiloDataFolder.Open(folder, 12));
        Assert.Contains("16", refused.Message, StringComparison.Ordinal);
    }
}
