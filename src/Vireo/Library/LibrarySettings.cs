using Vireo.Models;

namespace Vireo.Library;

/// <summary>
/// What a library is bound to once its first video is indexed: the model (name, dimension, fingerprint) and
/// how clips are made. Every later video is indexed the same way; querying with another model is refused.
/// </summary>
/// <param name="Model">The model the embeddings come from.</param>
/// <param name="ClipLength">Clip length in seconds (2 s by default, as QVHighlights).</param>
/// <param name="FramesPerClip">Frames sampled inside each clip and mean-pooled.</param>
/// <param name="ModelFolder">Where the model was loaded from when the library was bound (a hint for finding it again).</param>
public sealed record LibrarySettings(ModelIdentity Model, double ClipLength, int FramesPerClip, string? ModelFolder = null)
{
    /// <summary>The sampling rate that gives <see cref="FramesPerClip"/> frames per clip.</summary>
    public double FramesPerSecond => FramesPerClip / ClipLength;
}
