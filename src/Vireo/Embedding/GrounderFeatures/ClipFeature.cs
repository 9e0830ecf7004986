using Vireo.Media;
using Vireo.Vectors;

namespace Vireo.Embedding.GrounderFeatures;

/// <summary>The feature of one clip: the raw CLIP image embedding of the one frame Lighthouse takes for it.</summary>
/// <param name="Index">The clip's position (clip i covers [i·L, (i+1)·L) for clip length L).</param>
/// <param name="FrameTime">The presentation time of the frame, in seconds.</param>
/// <param name="Embedding">The image tower's output, not normalised.</param>
public sealed record ClipFeature(int Index, double FrameTime, float[] Embedding);

/// <summary>A video's clip features, one row per clip, in clip order.</summary>
/// <param name="Info">The probed video.</param>
/// <param name="ClipLength">Seconds per clip.</param>
/// <param name="Features">[clips, dimension], raw.</param>
/// <param name="FrameTimes">The time of each clip's frame.</param>
public sealed record VideoClipFeatures(MediaInfo Info, double ClipLength, EmbeddingMatrix Features, IReadOnlyList<double> FrameTimes)
{
    public int Count => Features.Count;
}

/// <summary>How clip features are extracted.</summary>
public sealed record ClipFeatureOptions
{
    /// <summary>Seconds per clip, one frame each (Lighthouse's <c>clip_length</c>: 2 for QVHighlights, 1 for Charades-STA).</summary>
    public double ClipLength { get; init; } = Media.PerClip.LighthouseFramePlan.DefaultClipLength;

    /// <summary>Frames per model call at most (the model's fixed batch wins).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>The FFmpeg executables (default: found on PATH).</summary>
    public FFmpegTools? Tools { get; init; }
}
