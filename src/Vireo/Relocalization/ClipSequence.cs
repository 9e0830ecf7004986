using Vireo.Vectors;
using Vireo.Temporal;

namespace Vireo.Relocalization;

/// <summary>Unit-length clip embeddings in time order, the clips' grid, and where in the video the grid starts.</summary>
/// <param name="Clips">One embedding per clip of the grid.</param>
/// <param name="Grid">The clips, in seconds from <paramref name="Start"/>.</param>
/// <param name="Start">The grid's origin in the video, in seconds.</param>
public sealed record ClipSequence(EmbeddingMatrix Clips, ClipGrid Grid, double Start = 0)
{
    /// <summary>Clips in the sequence.</summary>
    public int Count => Clips.Count;

    /// <summary>Where clips [first, last] lie in the video, in seconds.</summary>
    public Vireo.Temporal.TemporalWindow Span(int first, int last) => new(Start + Grid[first].Start, Start + Grid[last].End);

    /// <summary>
    /// The sequence pooled into clips of <paramref name="clipLength"/> seconds from its start: each the normalised
    /// mean of the clips whose centre falls inside it (as indexing pools frames into clips).
    /// </summary>
    public ClipSequence Pool(double clipLength)
    {
        var grid = new ClipGrid(Grid.Duration, clipLength);
        var dimension = Clips.Dimension;
        var pooled = new EmbeddingMatrix(grid.Count, dimension);
        var counts = new int[grid.Count];
        for (var i = 0; i < Count; i++)
        {
            var target = grid.ClipOf(Grid[i].Center);
            System.Numerics.Tensors.TensorPrimitives.Add(pooled[target], Clips[i], pooled[target]);
            counts[target]++;
        }
        for (var c = 0; c < grid.Count; c++)
        {
            if (counts[c] == 0)
                Clips[Grid.ClipOf(grid[c].Center)].CopyTo(pooled[c]);
            VectorMath.NormalizeInPlace(pooled[c]);
        }
        return new ClipSequence(pooled, grid, Start);
    }
}
