using System.Numerics.Tensors;

namespace Vireo.Synthetic.Vectors;

/// <summary>
/// Unit vectors with the cluster structure of a video library's clip embeddings, for index tests and benchmarks:
/// topics (centres spread uniformly on the sphere, topic sizes log-normal, each with its own spread), videos
/// around a point of their topic, and clips around their video. Deterministic for a seed, whatever the thread count.
/// </summary>
/// <param name="Count">Vectors.</param>
/// <param name="Dimension">Values per vector.</param>
/// <param name="Topics">Top-level clusters.</param>
/// <param name="Seed">Seed of everything.</param>
public sealed record ClusteredVectors(int Count, int Dimension, int Topics = 2_000, int Seed = 1)
{
    /// <summary>Vectors per video: uniform in [MinVideo, MaxVideo].</summary>
    public int MinVideo { get; init; } = 10;

    /// <summary>See <see cref="MinVideo"/>.</summary>
    public int MaxVideo { get; init; } = 100;

    /// <summary>Distance of a video's centre from its topic's, relative to the topic centre's length: uniform per
    /// topic in [MinSpread, MaxSpread] (cosine to the topic centre 1/√(1+s²)).</summary>
    public float MinSpread { get; init; } = 0.5f;

    /// <summary>See <see cref="MinSpread"/>.</summary>
    public float MaxSpread { get; init; } = 1.2f;

    /// <summary>Distance of a clip from its video's centre (0.6: cosine about 0.86).</summary>
    public float ClipSpread { get; init; } = 0.6f;

    /// <summary>Generates the vectors row-major as float16 (how a library stores them).</summary>
    public Half[] Generate()
    {
        var random = new Random(Seed);
        var topicCentres = new float[Topics * Dimension];
        for (var t = 0; t < Topics; t++)
            Direction(random, topicCentres.AsSpan(t * Dimension, Dimension));
        var weights = new double[Topics];
        var spreads = new float[Topics];
        for (var t = 0; t < Topics; t++)
        {
            weights[t] = Math.Exp(Gaussian(random));
            spreads[t] = MinSpread + (MaxSpread - MinSpread) * random.NextSingle();
        }
        var cumulative = new double[Topics];
        var total = 0.0;
        for (var t = 0; t < Topics; t++)
            cumulative[t] = total += weights[t];

        var videos = new List<(int Start, int Size, int Topic)>();
        for (var start = 0; start < Count;)
        {
            var size = Math.Min(Count - start, random.Next(MinVideo, MaxVideo + 1));
            var topic = Array.BinarySearch(cumulative, random.NextDouble() * total);
            videos.Add((start, size, Math.Min(topic < 0 ? ~topic : topic, Topics - 1)));
            start += size;
        }

        var data = new Half[(long)Count * Dimension];
        Parallel.For(0, videos.Count, v =>
        {
            var (start, size, topic) = videos[v];
            var rng = new Random(unchecked(Seed * 1_000_003 + v)); // HashCode.Combine is randomised per process
            var centre = new float[Dimension];
            var row = new float[Dimension];
            Around(rng, topicCentres.AsSpan(topic * Dimension, Dimension), spreads[topic], centre);
            for (var i = 0; i < size; i++)
            {
                Around(rng, centre, ClipSpread, row);
                TensorPrimitives.ConvertToHalf(row, data.AsSpan((start + i) * Dimension, Dimension));
            }
        });
        return data;
    }

    /// <summary>
    /// Queries near the data, like text queries near some clips: a random stored vector moved by a random distance
    /// in [<paramref name="minNoise"/>, <paramref name="maxNoise"/>] (relative), normalised. Row-major float32.
    /// </summary>
    public static float[] Queries(ReadOnlySpan<Half> data, int dimension, int count, int seed, float minNoise = 0.5f, float maxNoise = 1.5f)
    {
        var random = new Random(seed);
        var rows = data.Length / dimension;
        var queries = new float[count * dimension];
        var point = new float[dimension];
        for (var q = 0; q < count; q++)
        {
            TensorPrimitives.ConvertToSingle(data.Slice(random.Next(rows) * dimension, dimension), point);
            Around(random, point, minNoise + (maxNoise - minNoise) * random.NextSingle(), queries.AsSpan(q * dimension, dimension));
        }
        return queries;
    }

    /// <summary>normalise(centre + spread · g / √d) with g standard normal: a point at relative distance ≈ spread.</summary>
    private static void Around(Random random, ReadOnlySpan<float> centre, float spread, Span<float> destination)
    {
        Direction(random, destination);
        TensorPrimitives.MultiplyAdd(destination, spread, centre, destination);
        TensorPrimitives.Divide(destination, TensorPrimitives.Norm(destination), destination);
    }

    /// <summary>A uniformly random unit vector.</summary>
    private static void Direction(Random random, Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i += 2)
        {
            // Box-Muller: two independent standard normal values.
            var radius = Math.Sqrt(-2 * Math.Log(1.0 - random.NextDouble()));
            var (sin, cos) = Math.SinCos(2 * Math.PI * random.NextDouble());
            destination[i] = (float)(radius * cos);
            if (i + 1 < destination.Length)
                destination[i + 1] = (float)(radius * sin);
        }
        TensorPrimitives.Divide(destination, TensorPrimitives.Norm(destination), destination);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
