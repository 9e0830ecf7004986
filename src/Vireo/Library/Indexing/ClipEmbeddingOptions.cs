using Vireo.Media;

namespace Vireo.Library.Indexing;

/// <summary>How a video becomes clip embeddings.</summary>
public sealed record ClipEmbeddingOptions
{
    /// <summary>Clip length in seconds (QVHighlights' 2 s by default). Fixed for a library once set.</summary>
    public double ClipLength { get; init; } = 2.0;

    /// <summary>Frames sampled inside each clip and mean-pooled into its embedding. Fixed for a library once set.</summary>
    public int FramesPerClip { get; init; } = 2;

    /// <summary>Frames per model call.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>FFmpeg decoder threads (0: FFmpeg decides).</summary>
    public int DecodeThreads { get; init; }

    /// <summary>
    /// The size FFmpeg scales frames to before Vireo's exact CLIP preprocessing; null: the shorter side to the
    /// model's input size (as CLIP4Clip's extraction does), which keeps decoding and transfer cheap.
    /// </summary>
    public FrameSize? FrameSize { get; init; }

    /// <summary>Decoded frames waiting for preprocessing (bounds memory).</summary>
    public int FrameQueue { get; init; } = 64;

    internal void Validate()
    {
        if (!(ClipLength > 0) || double.IsInfinity(ClipLength))
            throw new ArgumentOutOfRangeException(nameof(ClipLength), ClipLength, "the clip length must be a positive number of seconds");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(FramesPerClip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(FrameQueue);
    }
}

/// <summary>A video's clip embeddings, computed without storing them (see <see cref="ClipEmbedder.EmbedAsync(string, Grounding.TemporalWindow?, CancellationToken)"/>).</summary>
/// <param name="Info">The video.</param>
/// <param name="Grid">The clips, in seconds from <paramref name="Start"/>.</param>
/// <param name="Clips">One unit-length embedding per clip of the grid.</param>
/// <param name="Start">Where in the video the grid starts (0 unless a span was embedded).</param>
public sealed record VideoClips(MediaInfo Info, ClipGrid Grid, Vectors.EmbeddingMatrix Clips, double Start = 0)
{
    /// <summary>Where in the video clip <paramref name="index"/> starts, in seconds.</summary>
    public double ClipStart(int index) => Start + Grid[index].Start;

    /// <summary>Where in the video clip <paramref name="index"/> ends, in seconds.</summary>
    public double ClipEnd(int index) => Start + Grid[index].End;
}
