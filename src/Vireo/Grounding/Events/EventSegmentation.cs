using Vireo.Vectors;
using Vireo.Temporal;

namespace Vireo.Grounding.Events;

/// <summary>How <see cref="EventSegmenter"/> cuts a video into events.</summary>
public sealed record EventSegmentationOptions
{
    public static EventSegmentationOptions Default { get; } = new();

    /// <summary>
    /// Clusters per chunk: null (default) for the rule round(chunk clips / <see cref="ClipsPerCluster"/>), at least 1.
    /// </summary>
    public int? Clusters { get; init; }

    /// <summary>Average clips per cluster of the default rule (8 clips = 16 s of 2-s clips).</summary>
    public int ClipsPerCluster { get; init; } = 8;

    /// <summary>Events shorter than this many clips are merged into the more similar neighbour.</summary>
    public int MinEventClips { get; init; } = 2;

    /// <summary>
    /// Clips clustered together, bounding the self-similarity matrix to ChunkClips² floats whatever the video's length.
    /// Longer videos are cut into chunks of 3/4 to 1 times this, each cut placed at the largest embedding change near
    /// the nominal position (a likely shot boundary).
    /// </summary>
    public int ChunkClips { get; init; } = 256;

    /// <summary>Lloyd iterations at most (k-means stops earlier when no label changes).</summary>
    public int MaxIterations { get; init; } = 30;

    internal void Validate()
    {
        if (Clusters is < 1)
            throw new ArgumentOutOfRangeException(nameof(Clusters), Clusters, "at least one cluster");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ClipsPerCluster);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MinEventClips);
        ArgumentOutOfRangeException.ThrowIfLessThan(ChunkClips, 8);
        if (MinEventClips > ChunkClips / 4)
            throw new ArgumentOutOfRangeException(nameof(MinEventClips), MinEventClips, $"at most a quarter of the chunk ({ChunkClips} clips)");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxIterations);
    }
}

/// <summary>
/// A video cut into events: contiguous clip spans that cover every clip in order, and each event's prototype (the mean
/// of its clip embeddings, normalised), which retrieval matches against a query ("best event") and an index can store.
/// </summary>
public sealed class EventSegmentation
{
    /// <summary>A segmentation from event spans (e.g. stored at index time) and the video's clip embeddings.</summary>
    /// <exception cref="ArgumentException">The spans do not tile the clips 0..n−1 in order.</exception>
    public EventSegmentation(IReadOnlyList<ClipSpan> events, EmbeddingMatrix clips)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(clips);
        var expected = 0;
        foreach (var e in events)
        {
            if (e.Start != expected || e.End <= e.Start || e.End > clips.Count)
                throw new ArgumentException($"events must tile the video's {clips.Count} clips in order; {e} does not follow clip {expected}", nameof(events));
            expected = e.End;
        }
        if (expected != clips.Count)
            throw new ArgumentException($"events end at clip {expected}, the video has {clips.Count} clips", nameof(events));
        Events = [.. events];
        ClipCount = clips.Count;
        Prototypes = new EmbeddingMatrix(events.Count, clips.Dimension);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            VectorMath.MeanPool(clips.Data.AsSpan(e.Start * clips.Dimension, e.Length * clips.Dimension), clips.Dimension, Prototypes[i]);
        }
    }

    /// <summary>The events in time order; they tile the video.</summary>
    public IReadOnlyList<ClipSpan> Events { get; }

    /// <summary>One unit-length prototype per event (row i for event i).</summary>
    public EmbeddingMatrix Prototypes { get; }

    /// <summary>Clips of the video segmented.</summary>
    public int ClipCount { get; }
}
