using Vireo.Vectors;

namespace Vireo.Library.Indexing;

/// <summary>Cuts a video's clip embeddings into contiguous events (stored as coarse vectors for search).</summary>
public interface IEventSegmenter
{
    /// <summary>Contiguous spans covering the clips in order.</summary>
    IReadOnlyList<ClipSpan> Segment(EmbeddingMatrix clips);
}
