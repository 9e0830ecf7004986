namespace Vireo.Index;

/// <summary>
/// One list of vectors (an IVF cluster or a chunk of the exact index): ids and float16 rows, row-major.
/// </summary>
/// <remarks>
/// Entries [0, <see cref="Count"/>) never change once the list is published, so searches read lists without
/// locks. An append writes past <see cref="Count"/> into spare capacity and returns a new list over the same arrays
/// with a larger count; only the newest list over a pair of arrays is ever appended to (writes are serialized),
/// so no published entry is overwritten. Removal copies the kept entries into new arrays.
/// </remarks>
internal sealed class VectorList
{
    public static readonly VectorList Empty = new([], [], 0);

    public VectorList(long[] ids, Half[] rows, int count)
    {
        Ids = ids;
        Rows = rows;
        Count = count;
    }

    public long[] Ids { get; }

    public Half[] Rows { get; }

    public int Count { get; }

    /// <summary>Appends the given rows; spare capacity grows at most to <paramref name="maxCapacity"/>.</summary>
    public VectorList Append(ReadOnlySpan<long> ids, ReadOnlySpan<Half> rows, int dimension, int maxCapacity = int.MaxValue)
    {
        var target = Reserve(ids.Length, dimension, maxCapacity);
        ids.CopyTo(target.Ids.AsSpan(Count));
        rows.CopyTo(target.Rows.AsSpan(Count * dimension));
        return new VectorList(target.Ids, target.Rows, Count + ids.Length);
    }

    /// <summary>Appends the rows listed in <paramref name="picks"/>.</summary>
    public VectorList AppendPicked(ReadOnlySpan<long> ids, ReadOnlySpan<Half> rows, ReadOnlySpan<int> picks, int dimension)
    {
        var target = Reserve(picks.Length, dimension, int.MaxValue);
        var n = Count;
        foreach (var p in picks)
        {
            target.Ids[n] = ids[p];
            rows.Slice(p * dimension, dimension).CopyTo(target.Rows.AsSpan(n * dimension, dimension));
            n++;
        }
        return new VectorList(target.Ids, target.Rows, n);
    }

    /// <summary>This list without the entries whose id matches; null when none matches.</summary>
    public VectorList? Without(Func<long, bool> remove, int dimension, out int removed)
    {
        removed = 0;
        for (var i = 0; i < Count; i++)
        {
            if (remove(Ids[i]))
                removed++;
        }
        if (removed == 0)
            return null;
        var kept = Count - removed;
        var ids = new long[kept];
        var rows = new Half[kept * dimension];
        var n = 0;
        for (var i = 0; i < Count; i++)
        {
            if (remove(Ids[i]))
                continue;
            ids[n] = Ids[i];
            Rows.AsSpan(i * dimension, dimension).CopyTo(rows.AsSpan(n * dimension, dimension));
            n++;
        }
        return new VectorList(ids, rows, kept);
    }

    private VectorList Reserve(int extra, int dimension, int maxCapacity)
    {
        var needed = Count + extra;
        if (needed <= Ids.Length)
            return this;
        // A quarter more than now: amortised appends, and exact sizes when a list is filled in one go.
        var capacity = Math.Max(needed, Math.Min(maxCapacity, Count + Count / 4 + 16));
        var ids = new long[capacity];
        var rows = new Half[checked(capacity * dimension)];
        Ids.AsSpan(0, Count).CopyTo(ids);
        Rows.AsSpan(0, Count * dimension).CopyTo(rows);
        return new VectorList(ids, rows, Count);
    }
}

/// <summary>An immutable view of an index: its lists and the number of vectors they hold.</summary>
internal sealed record IndexState(VectorList[] Lists, int Count);
