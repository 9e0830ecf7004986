using Vireo.Index;
using static Vireo.Tests.Index.IndexTestData;

namespace Vireo.Tests.Index;

public class ExactIndexTests
{
    [Theory]
    [InlineData(16, 1)]
    [InlineData(13, 5)]
    [InlineData(512, 10)]
    [InlineData(40, 100)]
    public void Top_k_matches_a_naive_reference(int dimension, int k)
    {
        var vectors = GridVectors(600, dimension, seed: dimension);
        var ids = Ids(600, first: 1000);
        var index = Exact(dimension, ids, vectors);
        var queries = GridVectors(20, dimension, seed: 7);

        for (var q = 0; q < 20; q++)
        {
            var query = queries.AsSpan(q * dimension, dimension);
            Assert.Equal(Reference(vectors, ids, query, k), index.Search(query, k));
        }
    }

    [Fact]
    public void Ties_rank_the_smaller_id_first_and_k_beyond_the_count_returns_everything()
    {
        var index = new ExactIndex(4);
        index.Add([30, 10, 20, 5], new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0 });

        var hits = index.Search([1, 0, 0, 0], 10);

        Assert.Equal([new(10, 1), new(20, 1), new(30, 1), new(5, 0)], hits);
        Assert.Equal([new VectorHit(10, 1), new(20, 1)], index.Search([1, 0, 0, 0], 2));
        Assert.Equal(hits, index.Search([1, 0, 0, 0], int.MaxValue));
        Assert.Equal(hits, index.SearchBatch([1, 0, 0, 0], int.MaxValue)[0]);
    }

    [Fact]
    public void An_empty_index_returns_nothing()
    {
        var index = new ExactIndex(8);

        Assert.Empty(index.Search(new float[8], 5));
        Assert.All(index.SearchBatch(new float[16], 5), Assert.Empty);
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Batch_search_and_threaded_scans_agree_with_single_queries()
    {
        // More rows than one thread takes, so a single query is split; several chunks.
        const int Dimension = 16;
        var count = 2 * VectorIndex.MinRowsPerThread + 1234;
        var vectors = GridVectors(count, Dimension, seed: 3);
        var ids = Ids(count);
        var index = Exact(Dimension, ids, vectors);
        var queries = GridVectors(9, Dimension, seed: 4);

        var batch = index.SearchBatch(queries, 7);
        for (var q = 0; q < 9; q++)
        {
            var query = queries.AsSpan(q * Dimension, Dimension);
            var single = index.Search(query, 7, new VectorSearchOptions { MaxThreads = 1 });
            Assert.Equal(Reference(vectors, ids, query, 7), single);
            Assert.Equal(single, index.Search(query, 7, new VectorSearchOptions { MaxThreads = 2 }));
            Assert.Equal(single, batch[q]);
        }
        Assert.True(index.ListCount > 1);
    }

    [Fact]
    public void Float16_storage_keeps_the_ranking_of_unit_vectors()
    {
        var (data, queries) = Clustered(5000, 512, topics: 20, queries: 30, seed: 11);
        var vectors = new float[data.Length];
        for (var i = 0; i < data.Length; i++)
            vectors[i] = (float)data[i];
        // Re-normalised float32 originals would differ from float16 by its rounding: measure the effect here.
        var random = new Random(5);
        for (var i = 0; i < vectors.Length; i++)
            vectors[i] += (random.NextSingle() - 0.5f) * 2e-4f;
        var ids = Ids(5000);
        var index = Exact(512, ids, vectors);

        var exact = new IReadOnlyList<VectorHit>[30];
        for (var q = 0; q < 30; q++)
            exact[q] = Reference(vectors, ids, queries.AsSpan(q * 512, 512), 10);
        var stored = index.SearchBatch(queries, 10);

        Assert.True(SearchRecall.Mean(exact, stored) >= 0.98);
        for (var q = 0; q < 30; q++)
            Assert.Equal(exact[q][0].Score, stored[q][0].Score, 2e-3);
    }

    [Fact]
    public void Filter_keeps_only_accepted_ids()
    {
        var vectors = GridVectors(300, 8, seed: 2);
        var ids = Ids(300);
        var index = Exact(8, ids, vectors);
        var query = GridVectors(1, 8, seed: 9);

        var hits = index.Search(query, 10, new VectorSearchOptions { Filter = id => id % 3 == 0 });

        var keptIds = ids.Where(id => id % 3 == 0).ToArray();
        var kept = keptIds.SelectMany(id => vectors.Skip((int)id * 8).Take(8)).ToArray();
        Assert.Equal(Reference(kept, keptIds, query, 10), hits);
    }

    [Fact]
    public void Remove_remove_where_and_replace_change_what_is_found()
    {
        const int Dimension = 8;
        var count = ExactIndex.ChunkRows + 500; // two chunks
        var vectors = GridVectors(count, Dimension, seed: 6);
        var ids = Ids(count);
        var index = Exact(Dimension, ids, vectors);
        var query = GridVectors(1, Dimension, seed: 8);
        var best = index.Search(query, 5);

        Assert.Equal(1, index.Remove([best[0].Id, -42]));
        Assert.DoesNotContain(index.Search(query, 5), h => h.Id == best[0].Id);
        Assert.Equal(count - 1, index.Count);

        var removed = index.RemoveWhere(id => id % 2 == 1 && id != best[0].Id);
        Assert.Equal(ids.Count(id => id % 2 == 1 && id != best[0].Id), removed);
        Assert.All(index.Search(query, 50), h => Assert.Equal(0, h.Id % 2));

        // Replace the vector of id 0 by 16 times the query: it becomes the best match by far.
        var replaced = index.Replace(id => id == 0, [0], query.Select(v => (Half)(16 * v)).ToArray());
        Assert.Equal(1, replaced);
        Assert.Equal(0, index.Search(query, 1)[0].Id);
        Assert.Equal(count - 1 - removed, index.Count);
    }

    [Fact]
    public void Repeated_removals_repack_chunks_without_losing_vectors()
    {
        const int Dimension = 8;
        var index = new ExactIndex(Dimension);
        var count = 3 * ExactIndex.ChunkRows;
        var vectors = GridVectors(count, Dimension, seed: 12);
        var ids = Ids(count);
        index.Add(ids, vectors);
        index.RemoveWhere(id => id % 4 != 0);
        index.Add([-1], new float[Dimension]);

        Assert.Equal(count / 4 + 1, index.Count);
        Assert.True(index.ListCount <= 2);
        var keptIds = ids.Where(id => id % 4 == 0).ToArray();
        var kept = keptIds.SelectMany(id => vectors.Skip((int)id * Dimension).Take(Dimension)).ToArray();
        var query = GridVectors(1, Dimension, seed: 13);
        Assert.Equal(Reference(kept, keptIds, query, 20), index.Search(query, 20));
    }

    [Fact]
    public void Wrong_dimensions_and_bad_values_are_rejected_clearly()
    {
        var index = new ExactIndex(512);
        index.Add([1], new float[512]);

        var query = Assert.Throws<DimensionMismatchException>(() => index.Search(new float[768], 3));
        Assert.Equal((512, 768), (query.Expected, query.Actual));
        Assert.Contains("512", query.Message);
        Assert.Throws<DimensionMismatchException>(() => index.Add([1, 2], new float[2 * 768]));
        Assert.Throws<DimensionMismatchException>(() => index.SearchBatch(new float[700], 3));
        Assert.Throws<DimensionMismatchException>(() => index.Add([1], new float[511]));
        Assert.Throws<ArgumentException>(() => index.Add([1, 2], new float[1023]));
        var nan = new float[512];
        nan[3] = float.NaN;
        Assert.Throws<ArgumentException>(() => index.Add([2], nan));
        Assert.Throws<ArgumentException>(() => index.Search(nan, 3));
        var huge = new float[512];
        huge[0] = 1e6f;
        Assert.Throws<ArgumentException>(() => index.Add([2], huge));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new float[512], 0));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Float16_input_and_subnormals_are_handled()
    {
        var index = new ExactIndex(16);
        var row = new Half[16];
        row[0] = (Half)0.5f;
        row[1] = BitConverter.UInt16BitsToHalf(0x0001); // a subnormal: stored as zero
        row[2] = (Half)(-0.25f);
        index.Add([7], row);

        var query = new float[16];
        query[0] = 1;
        query[1] = 1e4f;
        query[2] = 2;
        var hit = Assert.Single(index.Search(query, 1));
        Assert.Equal(new VectorHit(7, 0.5f - 0.5f), hit);
        Assert.Throws<ArgumentException>(() => index.Add([8], [Half.PositiveInfinity, .. new Half[15]]));
    }
}
