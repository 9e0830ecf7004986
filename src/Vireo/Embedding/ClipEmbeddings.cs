using Vireo.Media;
using Vireo.Temporal;
using Vireo.Vectors;

namespace Vireo.Embedding;

/// <summary>A video's clip embeddings, computed without storing them (see <see cref="VideoEmbedder.EmbedAsync(string, TemporalWindow?, CancellationToken)"/>).</summary>
/// <param name="Info">The video.</param>
/// <param name="Grid">The clips, in seconds from <paramref name="Start"/>.</param>
/// <param name="Clips">One unit-length embedding per clip of the grid.</param>
/// <param name="Start">Where in the video the grid starts (0 unless a span was embedded).</param>
public sealed record ClipEmbeddings(MediaInfo Info, ClipGrid Grid, EmbeddingMatrix Clips, double Start = 0)
{
    /// <summary>Where in the video clip <paramref name="index"/> starts, in seconds.</summary>
    public double ClipStart(int index) => Start + Grid[index].Start;

    /// <summary>Where in the video clip <paramref name="index"/> ends, in seconds.</summary>
    public double ClipEnd(int index) => Start + Grid[index].End;
}
