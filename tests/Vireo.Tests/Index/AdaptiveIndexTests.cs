using Vireo.Index;
using Vireo.Tests.Support;
using static Vireo.Tests.Index.IndexTestData;

namespace Vireo.Tests.Index;

public class AdaptiveIndexTests
{
    private const int Dimension = 32;

    [Fact]
    public async Task Switches_to_ivf_above_the_threshold_retrains_on_growth_and_returns_to_exact()
    {
        var (data, queries) = Clustered(9000, Dimension, topics: 30, queries: 50, seed: 41);
        var ids = Ids(9000);
        var options = new AdaptiveIndexOptions { IvfThreshold = 1000, RetrainGrowth = 3, Ivf = new IvfOptions { Lists = 16, Probes = 16 } };
        var index = new AdaptiveIndex(Dimension, options);

        index.Add(ids.AsSpan(0, 999), data.AsSpan(0, 999 * Dimension));
        Assert.IsType<ExactIndex>(index.Current);
        index.Add(ids.AsSpan(999, 1001), data.AsSpan(999 * Dimension, 1001 * Dimension));
        var first = Assert.IsType<IvfIndex>(index.Current);
        Assert.Equal(2000, first.TrainedCount);

        index.Add(ids.AsSpan(2000, 3999), data.AsSpan(2000 * Dimension, 3999 * Dimension));
        Assert.Same(first, index.Current);
        index.Add(ids.AsSpan(5999, 1), data.AsSpan(5999 * Dimension, Dimension));
        Assert.Equal(6000, Assert.IsType<IvfIndex>(index.Current).TrainedCount);

        // Probes cover every list here, so the IVF answers must equal exact ones.
        var exact = new ExactIndex(Dimension);
        exact.Add(ids.AsSpan(0, 6000), data.AsSpan(0, 6000 * Dimension));
        AssertSameHits(exact.SearchBatch(queries, 10), index.SearchBatch(queries, 10));

        index.RemoveWhere(id => id >= 499);
        Assert.IsType<ExactIndex>(index.Current);
        Assert.Equal(499, index.Count);
        Assert.False(index.NeedsRebuild);

        using var folder = new TempFolder();
        await index.SaveAsync(folder.File("a.vix"), TestContext.Current.CancellationToken);
        var loaded = await AdaptiveIndex.LoadAsync(folder.File("a.vix"), options, Dimension, TestContext.Current.CancellationToken);
        Assert.Equal(index.SearchBatch(queries, 10), loaded.SearchBatch(queries, 10));
    }

    [Fact]
    public void Without_auto_rebuild_the_owner_rebuilds_when_told()
    {
        var (data, _) = Clustered(1500, Dimension, topics: 10, queries: 1, seed: 42);
        var index = new AdaptiveIndex(Dimension, new AdaptiveIndexOptions { IvfThreshold = 1000, AutoRebuild = false, Ivf = new IvfOptions { Lists = 8 } });

        index.Add(Ids(1500), data);
        Assert.True(index.NeedsRebuild);
        Assert.IsType<ExactIndex>(index.Current);

        index.Rebuild(TestContext.Current.CancellationToken);

        Assert.IsType<IvfIndex>(index.Current);
        Assert.False(index.NeedsRebuild);
        Assert.Equal(1500, index.Count);
    }
}
