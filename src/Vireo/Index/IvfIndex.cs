using System.Numerics.Tensors;

namespace Vireo.Index;

/// <summary>
/// Inverted-file index: spherical k-means centroids partition the vectors into lists; a query scans the lists of
/// its <see cref="VectorSearchOptions.Probes"/> nearest centroids, scoring their float16 rows exactly. Vectors added
/// after training join the list of their nearest centroid; removals rewrite the lists they touch.
/// </summary>
public sealed class IvfIndex : VectorIndex
{
    // Rows per block when a large build is assigned (bounds the float32 scratch, keeps all cores busy).
    private const int AssignBlockRows = 65_536;

    private readonly float[] _centroids;

    internal IvfIndex(int dimension, float[] centroids, VectorList[] lists, long trainedCount, int defaultProbes)
        : base(dimension, lists)
    {
        if (centroids.Length != lists.Length * dimension)
            throw new ArgumentException($"{centroids.Length} centroid values do not match {lists.Length} lists of {dimension}", nameof(centroids));
        _centroids = centroids;
        TrainedCount = trainedCount;
        DefaultProbes = Math.Clamp(defaultProbes, 1, Math.Max(1, lists.Length));
    }

    /// <summary>Vectors the index held when its centroids were trained (the retraining policy compares with it).</summary>
    public long TrainedCount { get; }

    /// <summary>Lists scanned when <see cref="VectorSearchOptions.Probes"/> is not set.</summary>
    public int DefaultProbes { get; }

    /// <summary>Trains centroids on <paramref name="sample"/> (row-major) and returns an empty index to add to.</summary>
    public static IvfIndex Train(int dimension, ReadOnlySpan<float> sample, IvfOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (sample.Length == 0 || sample.Length % dimension != 0)
            throw new DimensionMismatchException(dimension, sample.Length, $"a training sample of {sample.Length} values");
        options ??= IvfOptions.Default;
        var n = sample.Length / dimension;
        var lists = Math.Min(options.ListsFor(n), n);
        var centroids = SphericalKMeans.Train(sample.ToArray(), dimension, lists, options.Iterations, options.Seed, Parallelism(options.MaxThreads));
        return new IvfIndex(dimension, centroids, EmptyLists(lists), n, options.ProbesFor(lists, n));
    }

    /// <summary>Trains on a sample of the vectors and adds them all: the usual way to make an index of many vectors.</summary>
    public static IvfIndex Build(int dimension, ReadOnlyMemory<long> ids, ReadOnlyMemory<Half> vectors, IvfOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if ((long)ids.Length * dimension != vectors.Length)
            throw new DimensionMismatchException(dimension, ids.Length == 0 ? vectors.Length : vectors.Length / ids.Length, $"{ids.Length} vectors of {vectors.Length} values");
        return Build(dimension, [(ids, vectors)], options ?? IvfOptions.Default, cancellationToken);
    }

    /// <summary>A new IVF index holding the vectors of <paramref name="source"/> (as it is when the call starts),
    /// trained for their number: the upgrade from an exact index, or a retraining.</summary>
    public static IvfIndex Build(VectorIndex source, IvfOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var segments = new List<(ReadOnlyMemory<long>, ReadOnlyMemory<Half>)>();
        foreach (var list in source.State.Lists)
        {
            if (list.Count > 0)
                segments.Add((list.Ids.AsMemory(0, list.Count), list.Rows.AsMemory(0, list.Count * source.Dimension)));
        }
        return Build(source.Dimension, segments, options ?? IvfOptions.Default, cancellationToken);
    }

    internal override IndexSnapshot Snapshot()
    {
        var state = State;
        return new IndexSnapshot(Dimension, _centroids, state.Lists, state.Count, TrainedCount, DefaultProbes);
    }

    private protected override VectorList[] Append(VectorList[] lists, ReadOnlySpan<long> ids, Half[] rows)
    {
        var assignment = new int[ids.Length];
        SphericalKMeans.Assign(rows, _centroids, Dimension, assignment, Parallelism(0));
        var (order, starts) = GroupByList(assignment, lists.Length);
        for (var l = 0; l < lists.Length; l++)
        {
            if (starts[l + 1] > starts[l])
                lists[l] = lists[l].AppendPicked(ids, rows, order.AsSpan(starts[l], starts[l + 1] - starts[l]), Dimension);
        }
        return lists;
    }

    private protected override int[] SelectLists(IndexState state, ReadOnlySpan<float> query, VectorSearchOptions options)
    {
        var probes = Math.Max(1, options.Probes ?? DefaultProbes);
        var best = new TopK(Math.Min(probes, state.Lists.Length));
        var d = Dimension;
        for (var l = 0; l < state.Lists.Length; l++)
        {
            if (state.Lists[l].Count > 0)
                best.Offer(TensorPrimitives.Dot(query, _centroids.AsSpan(l * d, d)), l);
        }
        var hits = best.ToArray();
        var lists = new int[hits.Length];
        for (var i = 0; i < hits.Length; i++)
            lists[i] = (int)hits[i].Id;
        return lists;
    }

    private static IvfIndex Build(int dimension, List<(ReadOnlyMemory<long> Ids, ReadOnlyMemory<Half> Rows)> segments, IvfOptions options, CancellationToken cancellationToken)
    {
        var parallel = Parallelism(options.MaxThreads);
        parallel.CancellationToken = cancellationToken;
        var total = 0L;
        foreach (var segment in segments)
            total += segment.Ids.Length;
        var n = checked((int)total);
        if (n == 0)
            throw new ArgumentException("an IVF index needs vectors to train on", nameof(segments));
        var listCount = Math.Min(options.ListsFor(n), n);
        var sampleSize = Math.Min(n, options.TrainingSampleSize > 0 ? options.TrainingSampleSize : 48 * listCount);
        var sample = Sample(segments, dimension, n, Math.Max(sampleSize, listCount), options.Seed);
        var centroids = SphericalKMeans.Train(sample, dimension, listCount, options.Iterations, options.Seed, parallel);

        // Assign every vector first, then fill each list once at its final size.
        var assignments = new List<int[]>(segments.Count);
        var sizes = new int[listCount];
        foreach (var (ids, rows) in segments)
        {
            var assignment = new int[ids.Length];
            for (var start = 0; start < ids.Length; start += AssignBlockRows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(AssignBlockRows, ids.Length - start);
                var block = new int[count];
                SphericalKMeans.Assign(rows.Slice(start * dimension, count * dimension), centroids, dimension, block, parallel);
                block.CopyTo(assignment, start);
            }
            foreach (var l in assignment)
                sizes[l]++;
            assignments.Add(assignment);
        }
        var lists = new VectorList[listCount];
        for (var l = 0; l < listCount; l++)
            lists[l] = new VectorList(new long[sizes[l]], new Half[sizes[l] * dimension], 0);
        for (var s = 0; s < segments.Count; s++)
        {
            var (order, starts) = GroupByList(assignments[s], listCount);
            var ids = segments[s].Ids.Span;
            var rows = segments[s].Rows.Span;
            for (var l = 0; l < listCount; l++)
            {
                if (starts[l + 1] > starts[l])
                    lists[l] = lists[l].AppendPicked(ids, rows, order.AsSpan(starts[l], starts[l + 1] - starts[l]), dimension);
            }
        }
        foreach (var list in lists)
        {
            if (!VectorKernels.TryFlushSubnormals(list.Rows))
                throw new ArgumentException("vectors hold infinite or NaN values", nameof(segments));
        }
        return new IvfIndex(dimension, centroids, lists, n, options.ProbesFor(listCount, n));
    }

    /// <summary>Row numbers sorted by list (a counting sort) and where each list's run starts.</summary>
    private static (int[] Order, int[] Starts) GroupByList(int[] assignment, int listCount)
    {
        var starts = new int[listCount + 1];
        foreach (var l in assignment)
            starts[l + 1]++;
        for (var l = 0; l < listCount; l++)
            starts[l + 1] += starts[l];
        var next = starts[..^1];
        var order = new int[assignment.Length];
        for (var i = 0; i < assignment.Length; i++)
            order[next[assignment[i]]++] = i;
        return (order, starts);
    }

    /// <summary>A seeded uniform sample of the rows, as float32.</summary>
    private static float[] Sample(List<(ReadOnlyMemory<long> Ids, ReadOnlyMemory<Half> Rows)> segments, int dimension, int total, int size, int seed)
    {
        var picks = new int[total];
        for (var i = 0; i < total; i++)
            picks[i] = i;
        new Random(seed).Shuffle(picks);
        Array.Sort(picks, 0, size);
        var sample = new float[size * dimension];
        var segment = 0;
        var offset = 0;
        for (var i = 0; i < size; i++)
        {
            while (picks[i] >= offset + segments[segment].Ids.Length)
                offset += segments[segment++].Ids.Length;
            var row = segments[segment].Rows.Span.Slice((picks[i] - offset) * dimension, dimension);
            TensorPrimitives.ConvertToSingle(row, sample.AsSpan(i * dimension, dimension));
        }
        return sample;
    }

    private static VectorList[] EmptyLists(int count)
    {
        var lists = new VectorList[count];
        Array.Fill(lists, VectorList.Empty);
        return lists;
    }
}
