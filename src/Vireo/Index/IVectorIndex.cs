namespace Vireo.Index;

/// <summary>One search result: the caller's 64-bit id and the inner product of the query with its vector.</summary>
public readonly record struct VectorHit(long Id, float Score);

/// <summary>Per-search settings; every property has a default that suits the index.</summary>
public sealed record VectorSearchOptions
{
    /// <summary>Default settings.</summary>
    public static VectorSearchOptions Default { get; } = new();

    /// <summary>Inverted lists an IVF index scans (more: better recall, slower); null takes the index's default.
    /// Ignored by the exact index.</summary>
    public int? Probes { get; init; }

    /// <summary>Threads one query may use; 0 picks by the amount of work (one thread for small scans). Batch
    /// searches spread queries over the threads instead.</summary>
    public int MaxThreads { get; init; }

    /// <summary>Only ids for which this returns true are returned (it runs only for candidates that would enter the
    /// top k, so it costs little). It may run on several threads at once.</summary>
    public Func<long, bool>? Filter { get; init; }
}

/// <summary>
/// Nearest-neighbour search over vectors with inner-product scores (cosine similarity for unit-length vectors).
/// Ids are the caller's keys; they are not checked for uniqueness (remove before adding a vector again).
/// Implementations allow any number of concurrent searches while writes go on: a search sees the index as it
/// was before or after each whole write, never in between; writes are serialized.
/// </summary>
public interface IVectorIndex
{
    /// <summary>Values per vector.</summary>
    int Dimension { get; }

    /// <summary>Vectors held.</summary>
    int Count { get; }

    /// <summary>Adds <paramref name="ids"/>.Length vectors, row-major in <paramref name="vectors"/>.</summary>
    void Add(ReadOnlySpan<long> ids, ReadOnlySpan<float> vectors);

    /// <summary>Adds float16 vectors (as stored in a library) without a float32 round trip.</summary>
    void Add(ReadOnlySpan<long> ids, ReadOnlySpan<Half> vectors);

    /// <summary>Removes every vector whose id is in <paramref name="ids"/>; returns how many were removed.</summary>
    int Remove(ReadOnlySpan<long> ids);

    /// <summary>Removes every vector whose id matches; returns how many were removed.</summary>
    int RemoveWhere(Func<long, bool> predicate);

    /// <summary>Removes the vectors whose id matches and adds new ones as one write: a concurrent search sees
    /// either the old vectors or the new ones (re-indexing a video).</summary>
    int Replace(Func<long, bool> removeWhere, ReadOnlySpan<long> ids, ReadOnlySpan<Half> vectors);

    /// <summary>The <paramref name="k"/> best vectors for one query, best first (ties: smaller id first).</summary>
    IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, VectorSearchOptions? options = null);

    /// <summary>The best vectors for each of several queries, row-major in <paramref name="queries"/>.</summary>
    IReadOnlyList<VectorHit>[] SearchBatch(ReadOnlySpan<float> queries, int k, VectorSearchOptions? options = null);

    /// <summary>Writes the index to <paramref name="path"/> atomically (a temporary file renamed over it).</summary>
    Task SaveAsync(string path, CancellationToken cancellationToken = default);
}
