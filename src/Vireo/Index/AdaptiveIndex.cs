namespace Vireo.Index;

/// <summary>When an <see cref="AdaptiveIndex"/> changes structure.</summary>
public sealed record AdaptiveIndexOptions
{
    /// <summary>Default settings.</summary>
    public static AdaptiveIndexOptions Default { get; } = new();

    /// <summary>From this many vectors on an IVF index replaces exact search; it goes back to exact search below
    /// half of it. Default 50,000 (512-d): there an exact scan takes ~3.4 ms on one core and IVF with default options
    /// ~0.6 ms at recall@10 0.999; at 25,000 IVF is only 2.6x faster, at 10,000 1.2x (bench suite <c>ann</c>).</summary>
    public int IvfThreshold { get; init; } = 50_000;

    /// <summary>An IVF index is retrained when it holds this many times the vectors it was trained on (its lists
    /// have grown that much longer, so searches are that much slower, and new data may have drifted).</summary>
    public double RetrainGrowth { get; init; } = 4;

    /// <summary>How IVF indexes are trained.</summary>
    public IvfOptions Ivf { get; init; } = IvfOptions.Default;

    /// <summary>Rebuild within the write that crosses a threshold (the writer waits; searches go on). When false,
    /// the owner watches <see cref="AdaptiveIndex.NeedsRebuild"/> and calls <see cref="AdaptiveIndex.Rebuild"/>.</summary>
    public bool AutoRebuild { get; init; } = true;
}

/// <summary>
/// The index to use for a library that grows and shrinks: an <see cref="ExactIndex"/> while small, an
/// <see cref="IvfIndex"/> above <see cref="AdaptiveIndexOptions.IvfThreshold"/>, retrained after
/// <see cref="AdaptiveIndexOptions.RetrainGrowth"/>-fold growth. A rebuild happens off to the side: searches keep
/// using the current index until the new one replaces it in one step (memory: both exist meanwhile).
/// </summary>
public sealed class AdaptiveIndex : IVectorIndex
{
    private readonly Lock _writeLock = new();
    private VectorIndex _current;

    public AdaptiveIndex(int dimension, AdaptiveIndexOptions? options = null)
        : this(new ExactIndex(dimension), options)
    {
    }

    private AdaptiveIndex(VectorIndex current, AdaptiveIndexOptions? options)
    {
        _current = current;
        Options = options ?? AdaptiveIndexOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.IvfThreshold);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Options.RetrainGrowth, 1.0);
    }

    public AdaptiveIndexOptions Options { get; }

    /// <summary>The index searches use now.</summary>
    public VectorIndex Current => Volatile.Read(ref _current);

    public int Dimension => Current.Dimension;

    public int Count => Current.Count;

    /// <summary>True when the policy asks for another structure (or a retrained one) than the current index.</summary>
    public bool NeedsRebuild => Wanted(Current) is not null;

    /// <summary>Reads an index saved by <see cref="SaveAsync"/> (or by any <see cref="VectorIndex"/>).</summary>
    public static async Task<AdaptiveIndex> LoadAsync(string path, AdaptiveIndexOptions? options = null, int? expectedDimension = null, CancellationToken cancellationToken = default) =>
        new(await VectorIndex.LoadAsync(path, expectedDimension, cancellationToken).ConfigureAwait(false), options);

    public void Add(ReadOnlySpan<long> ids, ReadOnlySpan<float> vectors)
    {
        lock (_writeLock)
        {
            Current.Add(ids, vectors);
            AfterWrite();
        }
    }

    public void Add(ReadOnlySpan<long> ids, ReadOnlySpan<Half> vectors)
    {
        lock (_writeLock)
        {
            Current.Add(ids, vectors);
            AfterWrite();
        }
    }

    public int Remove(ReadOnlySpan<long> ids)
    {
        lock (_writeLock)
        {
            var removed = Current.Remove(ids);
            AfterWrite();
            return removed;
        }
    }

    public int RemoveWhere(Func<long, bool> predicate)
    {
        lock (_writeLock)
        {
            var removed = Current.RemoveWhere(predicate);
            AfterWrite();
            return removed;
        }
    }

    public int Replace(Func<long, bool> removeWhere, ReadOnlySpan<long> ids, ReadOnlySpan<Half> vectors)
    {
        lock (_writeLock)
        {
            var removed = Current.Replace(removeWhere, ids, vectors);
            AfterWrite();
            return removed;
        }
    }

    public IReadOnlyList<VectorHit> Search(ReadOnlySpan<float> query, int k, VectorSearchOptions? options = null) =>
        Current.Search(query, k, options);

    public IReadOnlyList<VectorHit>[] SearchBatch(ReadOnlySpan<float> queries, int k, VectorSearchOptions? options = null) =>
        Current.SearchBatch(queries, k, options);

    public Task SaveAsync(string path, CancellationToken cancellationToken = default) =>
        Current.SaveAsync(path, cancellationToken);

    /// <summary>Builds the structure the policy asks for now (a freshly trained IVF index when it asks for IVF)
    /// and swaps it in. Writes wait meanwhile; searches do not.</summary>
    public void Rebuild(CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            var current = Current;
            Volatile.Write(ref _current, Build(current, current.Count >= Options.IvfThreshold, cancellationToken));
        }
    }

    private void AfterWrite()
    {
        if (!Options.AutoRebuild)
            return;
        var current = Current;
        if (Wanted(current) is { } ivf)
            Volatile.Write(ref _current, Build(current, ivf, CancellationToken.None));
    }

    /// <summary>Null when <paramref name="current"/> suits its size; else whether the policy wants IVF.</summary>
    private bool? Wanted(VectorIndex current) => current switch
    {
        ExactIndex when current.Count >= Options.IvfThreshold => true,
        IvfIndex when current.Count < Options.IvfThreshold / 2 => false,
        IvfIndex ivf when current.Count >= Options.RetrainGrowth * ivf.TrainedCount => true,
        _ => null,
    };

    private VectorIndex Build(VectorIndex source, bool ivf, CancellationToken cancellationToken)
    {
        if (ivf)
            return IvfIndex.Build(source, Options.Ivf, cancellationToken);
        var exact = new ExactIndex(source.Dimension);
        foreach (var list in source.State.Lists)
            exact.Add(list.Ids.AsSpan(0, list.Count), list.Rows.AsSpan(0, list.Count * source.Dimension));
        return exact;
    }
}
