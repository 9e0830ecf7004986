namespace Vireo.Index;

/// <summary>How an <see cref="IvfIndex"/> is trained; zeros pick values from the number of vectors.</summary>
public sealed record IvfOptions
{
    /// <summary>Default settings.</summary>
    public static IvfOptions Default { get; } = new();

    /// <summary>Inverted lists (k-means clusters); 0: √n, between 16 and 65,536 (1,000 lists of ~1,000 vectors for a
    /// million: training and assignment cost grow with the lists, scanning with their length).</summary>
    public int Lists { get; init; }

    /// <summary>Vectors k-means trains on; 0: 48 per list, at most all of them.</summary>
    public int TrainingSampleSize { get; init; }

    /// <summary>k-means iterations (fewer when the assignment stops changing).</summary>
    public int Iterations { get; init; } = 10;

    /// <summary>Lists a search scans by default; 0: 2% of the lists and enough lists for ~8,192 vectors, at least 8.</summary>
    public int Probes { get; init; }

    /// <summary>Seed of the sample and of the initial centroids (builds are deterministic).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Threads for training and assignment; 0: all cores.</summary>
    public int MaxThreads { get; init; }

    /// <summary>The number of lists for <paramref name="count"/> vectors.</summary>
    public int ListsFor(int count) =>
        Lists > 0 ? Lists : Math.Clamp((int)Math.Round(Math.Sqrt(count)), 16, 65_536);

    /// <summary>The default probes for <paramref name="count"/> vectors in <paramref name="lists"/> lists.</summary>
    public int ProbesFor(int lists, long count)
    {
        if (Probes > 0)
            return Math.Min(Probes, lists);
        var forRows = (int)Math.Min(lists, (8192L * lists + count - 1) / Math.Max(count, 1));
        return Math.Min(lists, Math.Max(8, Math.Max(lists / 50, forRows)));
    }
}
