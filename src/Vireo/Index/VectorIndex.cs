using System.Numerics.Tensors;

namespace Vireo.Index;

/// <summary>
/// Shared machinery of <see cref="ExactIndex"/> and <see cref="IvfIndex"/>: vectors live in lists of float16 rows
/// (chunks for the exact index, clusters for IVF); a search scans some lists (all, or the nearest clusters').
/// </summary>
/// <remarks>
/// Concurrency: the index state (its lists and count) is immutable and replaced as a whole by each write, so any
/// number of searches run without locks, each on the state it found when it started; writes are serialized by a
/// lock and copy only the lists they change (appends reuse spare capacity without touching published entries).
/// Saving writes the state found when it starts and does not block writes.
/// </remarks>
public abstract class VectorIndex : IVectorIndex
{
    /// <summary>Rows a thread should have at least before a single query is split across threads.</summary>
    internal const int MinRowsPerThread = 32_768;

    private readonly Lock _writeLock = new();
    private IndexState _state;

    private protected VectorIndex(int dimension, VectorList[] lists)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        Dimension = dimension;
        var count = 0L;
        foreach (var list in lists)
            count += list.Count;
        _state = new IndexState(lists, checked((int)count));
    }

    public int Dimension { get; }

    public int Count => State.Count;

    internal IndexState State => Volatile.Read(ref _state);

    /// <summary>Lists the vectors are kept in.</summary>
    public int ListCount => State.Lists.Length;

    /// <summary>Bytes of vector and id storage held now (spare capacity included).</summary>
    public long MemoryBytes
    {
        get
        {
            var bytes = 0L;
            foreach (var list in State.Lists)
                bytes += list.Ids.LongLength * sizeof(long) + list.Rows.LongLength * 2;
            return bytes;
        }
    }

    public void Add(ReadOnlySpan<long> ids, ReadOnlySpan<float> vectors) => Write(null, ids, Encode(ids, vectors));

    public void Add(ReadOnlySpan<long> ids, ReadOnlySpan<Half> vectors) => Write(null, ids, Copy(ids, vectors));

    public int Remove(ReadOnlySpan<long> ids)
    {
        if (ids.IsEmpty)
            return 0;
        var set = new HashSet<long>(ids.Length);
        foreach (var id in ids)
            set.Add(id);
        return Write(set.Contains, [], []);
    }

    public int RemoveWhere(Func<long, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Write(predicate, [], []);
    }

    public int Replace(Func<long, bool> removeWhere, ReadOnlySpan<long> ids, ReadOnlySpan<Half> vectors)
    {
        ArgumentNullException.ThrowIfNull(removeWhere);
        return Write(removeWhere, ids, Copy(ids, vectors));
    }

    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, VectorSearchOptions? options = null)
    {
        CheckQueries(query, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        return SearchOne(State, query, k, options ?? VectorSearchOptions.Default, threadsAllowed: true);
    }

    public virtual IReadOnlyList<VectorHit>[] SearchBatch(ReadOnlySpan<float> queries, int k, VectorSearchOptions? options = null)
    {
        var count = CheckQueries(queries, null);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        options ??= VectorSearchOptions.Default;
        var state = State;
        var all = queries.ToArray();
        var results = new IReadOnlyList<VectorHit>[count];
        Parallel.For(0, count, Parallelism(options.MaxThreads),
            q => results[q] = SearchOne(state, all.AsSpan(q * Dimension, Dimension), k, options, threadsAllowed: false));
        return results;
    }

    public Task SaveAsync(string path, CancellationToken cancellationToken = default) =>
        IndexFile.WriteAsync(path, Snapshot(), cancellationToken);

    /// <summary>Reads an index written by <see cref="SaveAsync"/>: an <see cref="ExactIndex"/> or an
    /// <see cref="IvfIndex"/>, as saved.</summary>
    /// <param name="path">The file.</param>
    /// <param name="expectedDimension">When given, a file of another dimension is a <see cref="DimensionMismatchException"/>.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="IndexFileException">The file is missing, truncated, damaged (checksum) or not an index.</exception>
    public static async Task<VectorIndex> LoadAsync(string path, int? expectedDimension = null, CancellationToken cancellationToken = default)
    {
        var file = await IndexFile.ReadAsync(path, expectedDimension, cancellationToken).ConfigureAwait(false);
        return file.Centroids is null
            ? new ExactIndex(file.Dimension, file.Lists)
            : new IvfIndex(file.Dimension, file.Centroids, file.Lists, file.TrainedCount, file.DefaultProbes);
    }

    internal abstract IndexSnapshot Snapshot();

    /// <summary>The lists after appending <paramref name="ids"/> and their <paramref name="rows"/> (validated float16,
    /// exactly ids.Length rows) to <paramref name="lists"/> (a private copy the method may change and return).</summary>
    private protected abstract VectorList[] Append(VectorList[] lists, ReadOnlySpan<long> ids, Half[] rows);

    /// <summary>The lists a query scans, most promising first.</summary>
    private protected abstract int[] SelectLists(IndexState state, ReadOnlySpan<float> query, VectorSearchOptions options);

    private protected static ParallelOptions Parallelism(int maxThreads) =>
        new() { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount };

    /// <summary>Number of queries in <paramref name="queries"/>; throws when the length is not a multiple of the dimension.</summary>
    private protected int CheckQueries(ReadOnlySpan<float> queries, int? expected)
    {
        if (expected == 1 && queries.Length != Dimension)
            throw new DimensionMismatchException(Dimension, queries.Length, "the query", nameof(queries));
        if (queries.Length % Dimension != 0)
            throw new DimensionMismatchException(Dimension, queries.Length, $"a batch of {queries.Length} values (not a multiple of {Dimension})", nameof(queries));
        foreach (var value in queries)
        {
            if (!float.IsFinite(value) || Math.Abs(value) > 60_000)
                throw new ArgumentException($"query value {value} is not finite or too large (queries should be unit length)", nameof(queries));
        }
        return queries.Length / Dimension;
    }

    private VectorHit[] SearchOne(IndexState state, ReadOnlySpan<float> query, int k, VectorSearchOptions options, bool threadsAllowed)
    {
        if (state.Count == 0)
            return [];
        var lists = SelectLists(state, query, options);
        var scaled = new float[Dimension];
        TensorPrimitives.Multiply(query, VectorKernels.QueryScale, scaled);
        var rows = 0L;
        foreach (var l in lists)
            rows += state.Lists[l].Count;
        k = (int)Math.Min(k, Math.Max(rows, 1)); // "everything" (int.MaxValue) must not size the heap
        var threads = threadsAllowed ? (int)Math.Min(rows / MinRowsPerThread, options.MaxThreads > 0 ? options.MaxThreads : Environment.ProcessorCount) : 1;
        if (threads <= 1)
        {
            var top = new TopK(k);
            ScanRows(state, lists, 0, rows, scaled, top, options.Filter);
            return top.ToArray();
        }
        var parts = new TopK[threads];
        Parallel.For(0, threads, t =>
        {
            parts[t] = new TopK(k);
            ScanRows(state, lists, rows * t / threads, rows * (t + 1) / threads, scaled, parts[t], options.Filter);
        });
        for (var t = 1; t < threads; t++)
            parts[0].Merge(parts[t]);
        return parts[0].ToArray();
    }

    /// <summary>Scans rows [from, to) of the concatenation of <paramref name="lists"/>.</summary>
    private void ScanRows(IndexState state, int[] lists, long from, long to, float[] scaledQuery, TopK top, Func<long, bool>? filter)
    {
        var offset = 0L;
        foreach (var l in lists)
        {
            var list = state.Lists[l];
            var start = Math.Max(from - offset, 0);
            var end = Math.Min(to - offset, list.Count);
            offset += list.Count;
            if (start < end)
                ScanList(list, (int)start, (int)end, scaledQuery, top, filter);
            if (offset >= to)
                break;
        }
    }

    private void ScanList(VectorList list, int start, int end, float[] scaledQuery, TopK top, Func<long, bool>? filter)
    {
        var d = Dimension;
        var rows = list.Rows;
        var ids = list.Ids;
        var threshold = top.Threshold;
        for (var r = start; r < end; r++)
        {
            var score = VectorKernels.DotHalf(rows.AsSpan(r * d, d), scaledQuery);
            if (score < threshold)
                continue;
            var id = ids[r];
            if (filter is not null && !filter(id))
                continue;
            top.Offer(score, id);
            threshold = top.Threshold;
        }
    }

    private int Write(Func<long, bool>? remove, ReadOnlySpan<long> ids, Half[] rows)
    {
        lock (_writeLock)
        {
            var state = _state;
            var lists = (VectorList[])state.Lists.Clone();
            var removed = 0;
            if (remove is not null)
            {
                for (var i = 0; i < lists.Length; i++)
                {
                    if (lists[i].Without(remove, Dimension, out var n) is { } kept)
                    {
                        lists[i] = kept;
                        removed += n;
                    }
                }
            }
            if (removed == 0 && ids.IsEmpty)
                return 0;
            lists = Append(lists, ids, rows);
            Volatile.Write(ref _state, new IndexState(lists, checked(state.Count - removed + ids.Length)));
            return removed;
        }
    }

    private Half[] Encode(ReadOnlySpan<long> ids, ReadOnlySpan<float> vectors)
    {
        CheckRows(ids.Length, vectors.Length, nameof(vectors));
        var rows = new Half[vectors.Length];
        if (!VectorKernels.TryEncode(vectors, rows))
            throw new ArgumentException("vectors hold values that are not finite or exceed float16's range (65504)", nameof(vectors));
        return rows;
    }

    private Half[] Copy(ReadOnlySpan<long> ids, ReadOnlySpan<Half> vectors)
    {
        CheckRows(ids.Length, vectors.Length, nameof(vectors));
        var rows = vectors.ToArray();
        if (!VectorKernels.TryFlushSubnormals(rows))
            throw new ArgumentException("vectors hold infinite or NaN values", nameof(vectors));
        return rows;
    }

    private void CheckRows(int idCount, int valueCount, string paramName)
    {
        if ((long)idCount * Dimension != valueCount)
        {
            if (idCount > 0 && valueCount % idCount == 0)
                throw new DimensionMismatchException(Dimension, valueCount / idCount, $"{idCount} vectors of {valueCount / idCount} values", paramName);
            throw new ArgumentException($"{valueCount} values are not {idCount} vectors of {Dimension}", paramName);
        }
    }
}
