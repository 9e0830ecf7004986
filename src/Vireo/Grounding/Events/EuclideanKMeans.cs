using System.Numerics.Tensors;

namespace Vireo.Grounding.Events;

/// <summary>Lloyd's k-means (squared Euclidean distance), seeded by k-means++ with a fixed seed: deterministic.</summary>
internal static class EuclideanKMeans
{
    /// <summary>
    /// k-means++ seeding: the first seed is the middle point, each next one a point drawn with probability proportional to
    /// its squared distance to the nearest seed so far (a fixed random sequence, so the same points give the same seeds).
    /// </summary>
    public static int[] PlusPlusSeeds(ReadOnlySpan<float> points, int count, int dimension, int k)
    {
        var random = new Random(20_240_601);
        var seeds = new int[k];
        seeds[0] = count / 2;
        var nearest = new double[count];
        Array.Fill(nearest, double.PositiveInfinity);
        for (var c = 1; c < k; c++)
        {
            var seed = points.Slice(seeds[c - 1] * dimension, dimension);
            double total = 0;
            for (var i = 0; i < count; i++)
            {
                double distance = TensorPrimitives.Distance(points.Slice(i * dimension, dimension), seed);
                nearest[i] = Math.Min(nearest[i], distance * distance);
                total += nearest[i];
            }
            if (total <= 0)
            {
                seeds[c] = seeds[c - 1]; // every point coincides with a seed: duplicates leave clusters empty, which is harmless
                continue;
            }
            var target = random.NextDouble() * total;
            var chosen = count - 1;
            for (var i = 0; i < count; i++)
            {
                target -= nearest[i];
                if (target < 0)
                {
                    chosen = i;
                    break;
                }
            }
            seeds[c] = chosen;
        }
        return seeds;
    }

    /// <summary>
    /// The cluster of each of <paramref name="count"/> points (rows of <paramref name="dimension"/> values in
    /// <paramref name="points"/>), seeded with the points <paramref name="initialRows"/> (k of them), after at most
    /// <paramref name="maxIterations"/> Lloyd iterations.
    /// </summary>
    public static int[] Cluster(ReadOnlySpan<float> points, int count, int dimension, ReadOnlySpan<int> initialRows, int maxIterations)
    {
        var k = initialRows.Length;
        var centers = new float[k * dimension];
        for (var c = 0; c < k; c++)
            points.Slice(initialRows[c] * dimension, dimension).CopyTo(centers.AsSpan(c * dimension, dimension));
        var pointNorms = new float[count];
        for (var i = 0; i < count; i++)
            pointNorms[i] = TensorPrimitives.SumOfSquares(points.Slice(i * dimension, dimension));
        var labels = new int[count];
        Array.Fill(labels, -1);
        var centerNorms = new float[k];
        var members = new int[k];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            for (var c = 0; c < k; c++)
                centerNorms[c] = TensorPrimitives.SumOfSquares(centers.AsSpan(c * dimension, dimension));
            var changed = false;
            for (var i = 0; i < count; i++)
            {
                var point = points.Slice(i * dimension, dimension);
                var best = 0;
                var bestDistance = float.PositiveInfinity;
                for (var c = 0; c < k; c++)
                {
                    var distance = pointNorms[i] - 2 * TensorPrimitives.Dot(point, centers.AsSpan(c * dimension, dimension)) + centerNorms[c];
                    if (distance < bestDistance)
                    {
                        bestDistance = distance;
                        best = c;
                    }
                }
                changed |= labels[i] != best;
                labels[i] = best;
            }
            if (!changed)
                break;
            UpdateCenters(points, dimension, labels, centers, members);
        }
        return labels;
    }

    // An emptied cluster keeps its previous centre.
    private static void UpdateCenters(ReadOnlySpan<float> points, int dimension, int[] labels, float[] centers, int[] members)
    {
        Array.Clear(members);
        for (var i = 0; i < labels.Length; i++)
        {
            if (members[labels[i]]++ == 0)
                centers.AsSpan(labels[i] * dimension, dimension).Clear();
            TensorPrimitives.Add(centers.AsSpan(labels[i] * dimension, dimension), points.Slice(i * dimension, dimension),
                centers.AsSpan(labels[i] * dimension, dimension));
        }
        for (var c = 0; c < members.Length; c++)
        {
            if (members[c] > 1)
                TensorPrimitives.Divide(centers.AsSpan(c * dimension, dimension), members[c], centers.AsSpan(c * dimension, dimension));
        }
    }
}
