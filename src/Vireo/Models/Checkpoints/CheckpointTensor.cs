namespace Vireo.Models.Checkpoints;

/// <summary>A tensor of a checkpoint, row-major, as float32 (the element type it was stored with is <see cref="StoredAs"/>).</summary>
/// <param name="Shape">Its dimensions.</param>
/// <param name="Data">Its elements, row-major.</param>
/// <param name="StoredAs">The torch storage it came from (FloatStorage, HalfStorage, LongStorage…).</param>
public sealed record CheckpointTensor(long[] Shape, float[] Data, string StoredAs)
{
    public long Count => Data.LongLength;
}
