using Vireo.Vectors;
using Vireo.Temporal;

namespace Vireo.Library;

/// <summary>Kinds of the coarse vectors kept per video for the first stage of search.</summary>
public enum VectorKind
{
    /// <summary>The mean of all clip embeddings, normalised (CLIP4Clip's meanP).</summary>
    Video = 0,

    /// <summary>The mean of the clips of one event (a contiguous stretch of similar clips), normalised.</summary>
    Event = 1,
}

/// <summary>Everything the indexer stores for one video, written in one transaction.</summary>
public sealed record IndexedVideo(
    string Path,
    long Size,
    long ModifiedTicks,
    string ContentHash,
    double Duration,
    double ClipLength,
    EmbeddingMatrix Clips,
    float[] VideoVector,
    IReadOnlyList<ClipSpan> Events,
    EmbeddingMatrix EventVectors)
{
    /// <summary>Damaged stretches (seconds); a truncated file's clips end where its damage starts (<see cref="LibraryVideo.Damaged"/>).</summary>
    public IReadOnlyList<TemporalWindow> Damaged { get; init; } = [];
}
