using Vireo.Vectors;
using Vireo.Temporal;

namespace Vireo.Library;

/// <summary>
/// All coarse vectors of a library (one per video, one per event) in one matrix, with parallel arrays saying
/// whose each row is: the input of the first search stage.
/// </summary>
public sealed class CoarseVectorTable(EmbeddingMatrix vectors, long[] videoIds, VectorKind[] kinds, ClipSpan[] spans)
{
    public EmbeddingMatrix Vectors { get; } = vectors;

    public long[] VideoIds { get; } = videoIds;

    public VectorKind[] Kinds { get; } = kinds;

    /// <summary>The clips an event covers (all clips for a video vector).</summary>
    public ClipSpan[] Spans { get; } = spans;

    public int Count => Vectors.Count;
}
