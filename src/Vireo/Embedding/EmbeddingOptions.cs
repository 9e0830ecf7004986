using Vireo.Media;

namespace Vireo.Embedding;

/// <summary>How a video becomes clip embeddings.</summary>
public sealed record EmbeddingOptions
{
    /// <summary>Clip length in seconds (QVHighlights' 2 s by default). Fixed for a library once set.</summary>
    public double ClipLength { get; init; } = 2.0;

    /// <summary>Frames sampled inside each clip and mean-pooled into its embedding. Fixed for a library once set.</summary>
    public int FramesPerClip { get; init; } = 2;

    /// <summary>Frames per model call (8: single-threaded calls do as many images per CPU second from batch 4 on, and smaller batches end together).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>
    /// CPU threads the pipeline keeps busy, FFmpeg's decoder and the image encoder together (0: one per core). See
    /// <see cref="PipelineBudget"/>.
    /// </summary>
    public int Threads { get; init; }

    /// <summary>FFmpeg decoder threads (0: two, or four above 720p, within <see cref="Threads"/> when the encoder runs in parallel; FFmpeg decides otherwise).</summary>
    public int DecodeThreads { get; init; }

    /// <summary>Where the image encoder runs (see <see cref="EncoderMode"/>).</summary>
    public EncoderMode Encoder { get; init; }

    /// <summary>
    /// Opt-in: skip decoding frames nothing depends on (<see cref="FrameSamplerOptions.SkipNonReferenceFrames"/>):
    /// about 40% less decoding on H.264 and HEVC, but most samples become a frame one or two later than their time.
    /// </summary>
    public bool SkipNonReferenceFrames { get; init; }

    /// <summary>Opt-in: skip H.264/HEVC deblocking (<see cref="FrameSamplerOptions.SkipLoopFilter"/>): the same frames, slightly blocky.</summary>
    public bool SkipLoopFilter { get; init; }

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
        ArgumentOutOfRangeException.ThrowIfNegative(Threads);
        ArgumentOutOfRangeException.ThrowIfNegative(DecodeThreads);
    }
}
