using Vireo.Index;
using Vireo.Synthetic.Vectors;

namespace Vireo.Tests.Index;

/// <summary>Vectors, references and recall for the index tests.</summary>
internal static class IndexTestData
{
    /// <summary>Row-major vectors whose values are multiples of 1/16 in [-1, 1]: exact in float16, and their
    /// inner products are exact in float32 whatever the summation order, so ties are real ties.</summary>
    public static float[] GridVectors(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * dimension];
        for (var i = 0; i < values.Length; i++)
            values[i] = random.Next(-16, 17) / 16f;
        return values;
    }

    public static long[] Ids(int count, long first = 0)
    {
        var ids = new long[count];
        for (var i = 0; i < count; i++)
            ids[i] = first + i;
        return ids;
    }

    public static ExactIndex Exact(int dimension, long[] ids, float[] vectors)
    {
        var index = new ExactIndex(dimension);
        index.Add(ids, vectors);
        return index;
    }

    /// <summary>The naive answer: every inner product in double, sorted by score then id.</summary>
    public static VectorHit[] Reference(float[] vectors, long[] ids, ReadOnlySpan<float> query, int k)
    {
        var dimension = query.Length;
        var hits = new VectorHit[ids.Length];
        for (var r = 0; r < ids.Length; r++)
        {
            var sum = 0.0;
            for (var j = 0; j < dimension; j++)
                sum += (double)vectors[r * dimension + j] * query[j];
            hits[r] = new VectorHit(ids[r], (float)sum);
        }
        Array.Sort(hits, (x, y) => x.Score != y.Score ? y.Score.CompareTo(x.Score) : x.Id.CompareTo(y.Id));
        return hits[..Math.Min(k, hits.Length)];
    }

    /// <summary>Clustered unit vectors (as float16) and queries near them.</summary>
    public static (Half[] Data, float[] Queries) Clustered(int count, int dimension, int topics, int queries, int seed)
    {
        var data = new ClusteredVectors(count, dimension, topics, seed).Generate();
        return (data, ClusteredVectors.Queries(data, dimension, queries, seed + 1));
    }

    /// <summary>
    /// Same ids in the same order and scores equal up to rounding: ExactIndex.SearchBatch sums the products in
    /// another order than a single search, so scores may differ in the last bits.
    /// </summary>
    public static void AssertSameHits(IReadOnlyList<VectorHit>[] expected, IReadOnlyList<VectorHit>[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var q = 0; q < expected.Length; q++)
        {
            Assert.Equal(expected[q].Select(h => h.Id), actual[q].Select(h => h.Id));
            for (var i = 0; i < expected[q].Count; i++)
                Assert.Equal(expected[q][i].Score, actual[q][i].Score, 1e-5);
        }
    }
}
