using System.Numerics.Tensors;
using Vireo.Vectors;

namespace Vireo.Index;

/// <summary>
/// Spherical k-means: unit-length centroids, each row assigned to the centroid of highest inner product. The
/// assignment step is a blocked matrix product spread over the cores; an emptied cluster takes over half of the
/// largest one (its centroid is split in two slightly different directions).
/// </summary>
internal static class SphericalKMeans
{
    private const int BlockRows = 256;

    public static float[] Train(float[] sample, int dimension, int k, int iterations, int seed, ParallelOptions parallel)
    {
        var n = sample.Length / dimension;
        if (n < k)
            throw new ArgumentException($"{n} training vectors cannot make {k} clusters", nameof(sample));
        var random = new Random(seed);
        var centroids = new float[k * dimension];
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        for (var c = 0; c < k; c++)
            sample.AsSpan(order[c] * dimension, dimension).CopyTo(centroids.AsSpan(c * dimension, dimension));
        VectorMath.NormalizeRows(centroids, dimension);

        var assignment = new int[n];
        Array.Fill(assignment, -1);
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var sums = new float[k * dimension];
            var counts = new int[k];
            var changed = 0;
            var blocks = (n + BlockRows - 1) / BlockRows;
            Parallel.For(0, blocks, parallel,
                () => (Sums: new float[k * dimension], Counts: new int[k], Scores: new float[BlockRows * k], Changed: 0),
                (b, _, local) =>
                {
                    var start = b * BlockRows;
                    var rows = Math.Min(BlockRows, n - start);
                    var block = sample.AsSpan(start * dimension, rows * dimension);
                    VectorKernels.DotProducts(block, centroids, dimension, local.Scores);
                    for (var r = 0; r < rows; r++)
                    {
                        var best = TensorPrimitives.IndexOfMax(local.Scores.AsSpan(r * k, k));
                        if (assignment[start + r] != best)
                        {
                            assignment[start + r] = best;
                            local.Changed++;
                        }
                        local.Counts[best]++;
                        var sum = local.Sums.AsSpan(best * dimension, dimension);
                        TensorPrimitives.Add(sum, block.Slice(r * dimension, dimension), sum);
                    }
                    return local;
                },
                local =>
                {
                    lock (sums)
                    {
                        TensorPrimitives.Add(sums, local.Sums, sums);
                        for (var c = 0; c < k; c++)
                            counts[c] += local.Counts[c];
                        changed += local.Changed;
                    }
                });
            sums.CopyTo(centroids, 0);
            SplitLargestIntoEmpty(centroids, counts, dimension, random);
            VectorMath.NormalizeRows(centroids, dimension);
            if (changed == 0)
                break;
        }
        return centroids;
    }

    /// <summary>The index of the best centroid for each row (blocked, parallel when there are many rows).</summary>
    public static void Assign(ReadOnlyMemory<Half> rows, float[] centroids, int dimension, int[] assignment, ParallelOptions parallel)
    {
        var n = rows.Length / dimension;
        var k = centroids.Length / dimension;
        var blocks = (n + BlockRows - 1) / BlockRows;
        Parallel.For(0, blocks, parallel,
            () => (Block: new float[BlockRows * dimension], Scores: new float[BlockRows * k]),
            (b, _, local) =>
            {
                var start = b * BlockRows;
                var count = Math.Min(BlockRows, n - start);
                var block = local.Block.AsSpan(0, count * dimension);
                TensorPrimitives.ConvertToSingle(rows.Span.Slice(start * dimension, count * dimension), block);
                VectorKernels.DotProducts(block, centroids, dimension, local.Scores);
                for (var r = 0; r < count; r++)
                    assignment[start + r] = TensorPrimitives.IndexOfMax(local.Scores.AsSpan(r * k, k));
                return local;
            },
            _ => { });
    }

    private static void SplitLargestIntoEmpty(float[] centroids, int[] counts, int dimension, Random random)
    {
        var k = counts.Length;
        for (var empty = 0; empty < k; empty++)
        {
            if (counts[empty] > 0)
                continue;
            var largest = TensorPrimitives.IndexOfMax<int>(counts);
            var source = centroids.AsSpan(largest * dimension, dimension);
            VectorMath.NormalizeInPlace(source);
            var target = centroids.AsSpan(empty * dimension, dimension);
            for (var i = 0; i < dimension; i++)
            {
                var nudge = (random.NextSingle() - 0.5f) * 0.02f / MathF.Sqrt(dimension);
                target[i] = source[i] + nudge;
                source[i] -= nudge;
            }
            counts[empty] = counts[largest] / 2;
            counts[largest] -= counts[empty];
        }
    }
}
