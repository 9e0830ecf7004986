using Vireo.Index;
using static Vireo.Tests.Index.IndexTestData;

namespace Vireo.Tests.Index;

public class IvfIndexTests
{
    private const int Dimension = 64;

    private static readonly Lazy<(Half[] Data, float[] Queries, long[] Ids, IReadOnlyList<VectorHit>[] Exact)> Data = new(() =>
    {
        var (data, queries) = Clustered(20_000, Dimension, topics: 100, queries: 200, seed: 21);
        var ids = Ids(20_000, first: 1L << 40);
        var exact = new ExactIndex(Dimension);
        exact.Add(ids, data);
        return (data, queries, ids, exact.SearchBatch(queries, 10));
    });

    [Fact]
    public void Recall_on_clustered_data_grows_with_probes_and_is_exact_when_every_list_is_scanned()
    {
        var (data, queries, ids, exact) = Data.Value;
        var index = IvfIndex.Build(Dimension, ids, data, new IvfOptions { Lists = 64 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(64, index.ListCount);
        Assert.Equal(20_000, index.Count);
        var few = SearchRecall.Mean(exact, index.SearchBatch(queries, 10, new VectorSearchOptions { Probes = 1 }));
        var some = SearchRecall.Mean(exact, index.SearchBatch(queries, 10, new VectorSearchOptions { Probes = 8 }));
        Assert.True(some >= 0.95, $"recall@10 with 8 of 64 lists: {some:0.000}");
        Assert.True(few < some, $"1 probe {few:0.000} vs 8 probes {some:0.000}");
        AssertSameHits(exact, index.SearchBatch(queries, 10, new VectorSearchOptions { Probes = 64 }));
    }

    [Fact]
    public void Default_options_reach_the_recall_target()
    {
        var (data, queries, ids, exact) = Data.Value;
        var index = IvfIndex.Build(Dimension, ids, data, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(IvfOptions.Default.ListsFor(20_000), index.ListCount);
        var recall = SearchRecall.Mean(exact, index.SearchBatch(queries, 10));
        Assert.True(recall >= 0.95, $"recall@10 with defaults ({index.ListCount} lists, {index.DefaultProbes} probes): {recall:0.000}");
        for (var q = 0; q < 5; q++)
            Assert.Equal(index.SearchBatch(queries.AsSpan(q * Dimension, Dimension).ToArray(), 10)[0], index.Search(queries.AsSpan(q * Dimension, Dimension), 10));
    }

    [Fact]
    public void Builds_are_deterministic()
    {
        var (data, queries, ids, _) = Data.Value;
        var options = new IvfOptions { Lists = 32, Seed = 5 };
        var a = IvfIndex.Build(Dimension, ids.AsMemory(0, 5000), data.AsMemory(0, 5000 * Dimension), options, cancellationToken: TestContext.Current.CancellationToken);
        var b = IvfIndex.Build(Dimension, ids.AsMemory(0, 5000), data.AsMemory(0, 5000 * Dimension), options with { MaxThreads = 1 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(a.SearchBatch(queries, 10, new VectorSearchOptions { Probes = 2 }), b.SearchBatch(queries, 10, new VectorSearchOptions { Probes = 2 }));
    }

    [Fact]
    public void Vectors_added_after_training_are_found_and_removed_ones_are_not()
    {
        var (data, _, ids, _) = Data.Value;
        var sample = new float[4000 * Dimension];
        for (var i = 0; i < sample.Length; i++)
            sample[i] = (float)data[i];
        var index = IvfIndex.Train(Dimension, sample, new IvfOptions { Lists = 40, Probes = 4 });
        Assert.Equal(0, index.Count);
        Assert.Equal(4000, index.TrainedCount);

        index.Add(ids, data);
        var probe = data.AsSpan(12_345 * Dimension, Dimension).ToArray().Select(h => (float)h).ToArray();
        Assert.Equal(ids[12_345], index.Search(probe, 1)[0].Id);

        Assert.Equal(2, index.Remove([ids[12_345], ids[3]]));
        Assert.DoesNotContain(index.Search(probe, 10, new VectorSearchOptions { Probes = 40 }), h => h.Id == ids[12_345]);
        var removed = index.RemoveWhere(id => (id & 1) == 1);
        Assert.All(index.Search(probe, 100, new VectorSearchOptions { Probes = 40 }), h => Assert.Equal(0, h.Id & 1));
        Assert.Equal(20_000 - 2 - removed, index.Count);
    }

    [Fact]
    public void Empty_lists_are_not_probed()
    {
        var (data, _, ids, _) = Data.Value;
        var index = IvfIndex.Build(Dimension, ids.AsMemory(0, 2000), data.AsMemory(0, 2000 * Dimension), new IvfOptions { Lists = 20, Probes = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        var query = data.AsSpan(0, Dimension).ToArray().Select(h => (float)h).ToArray();
        var nearest = index.Search(query, 1)[0].Id;

        // Empty the query's list: the single probe must go to a list that still has vectors.
        index.RemoveWhere(id => id == nearest || index.Search(query, 2000, new VectorSearchOptions { Probes = 1 }).Any(h => h.Id == id));

        Assert.NotEmpty(index.Search(query, 1));
    }

    [Fact]
    public void Recall_counts_the_exact_ids_found()
    {
        IReadOnlyList<VectorHit>[] exact = [[new(1, 0.9f), new(2, 0.8f)], [new(3, 0.5f), new(4, 0.4f)], []];
        IReadOnlyList<VectorHit>[] approximate = [[new(2, 0.8f), new(7, 0.7f)], [new(4, 0.4f), new(3, 0.5f)], [new(9, 0.1f)]];

        Assert.Equal((0.5 + 1 + 1) / 3, SearchRecall.Mean(exact, approximate), 1e-12);
        Assert.Throws<ArgumentException>(() => SearchRecall.Mean(exact, approximate[..2]));
    }
}
