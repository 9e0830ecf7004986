namespace Vireo.Media;

/// <summary>How frames are decoded and delivered.</summary>
public sealed record FrameSamplerOptions
{
    /// <summary>Default limit on a video's width and height (DCI 8K is 8192 wide).</summary>
    public const int DefaultMaxSide = 8192;

    /// <summary>Output frame size. Scaling happens inside FFmpeg, after frame selection.</summary>
    public FrameSize Size { get; init; } = FrameSize.Original;

    /// <summary>Decoder threads; 0 lets FFmpeg choose (one per core).</summary>
    public int Threads { get; init; }

    /// <summary>How the frames are reached: one pass through the video, or a seek per sample. Auto decides from the gap between samples.</summary>
    public DecodeStrategy Strategy { get; init; } = DecodeStrategy.Auto;

    /// <summary>
    /// When sampling at a rate, samples whose interval is at least this many seconds are fetched by seeking
    /// rather than by decoding through the gaps (Auto strategy). See docs/media-measurements.md.
    /// </summary>
    public double SeekGapSeconds { get; init; } = DecodeTuning.SeekGapSeconds;

    /// <summary>
    /// Skip decoding frames no other frame depends on (FFmpeg's <c>-skip_frame noref</c>: most B-frames) when
    /// sampling at a rate well below the frame rate: sample k is then the first <em>decoded</em> frame of its
    /// interval, a few frames later at most, with its exact time. Null (default) decides: on for continuous rate
    /// sampling that keeps less than half the frames, off for timestamps and seeking, which promise the first frame
    /// at or after each time. Measured: about 20% less decoding time on x264 output (docs/media-measurements.md).
    /// </summary>
    public bool? SkipNonReferenceFrames { get; init; }

    /// <summary>
    /// Skip H.264/HEVC's deblocking filter (<c>-skip_loop_filter all</c>): another ~15% off decoding, at the cost of
    /// blocking artifacts that grow until the next key frame. Off by default.
    /// </summary>
    public bool SkipLoopFilter { get; init; }

    /// <summary>The swscale algorithm used for resizing (FFmpeg's <c>flags</c>), e.g. "bicubic", "area", "bilinear".</summary>
    public string ScaleAlgorithm { get; init; } = "bicubic";

    /// <summary>Videos wider or taller than this are refused with <see cref="VideoTooLargeException"/>.</summary>
    public int MaxSide { get; init; } = DefaultMaxSide;

    /// <summary>FFmpeg is killed and <see cref="MediaTimeoutException"/> thrown when it makes no progress for this long.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The executables to run.</summary>
    public FFmpegTools? Tools { get; init; }
}

/// <summary>How frames are reached in the file.</summary>
public enum DecodeStrategy
{
    /// <summary>Continuous decoding for dense samples, seeking for sparse ones.</summary>
    Auto,

    /// <summary>One pass through the whole requested range.</summary>
    Continuous,

    /// <summary>A seek (and a decode from the preceding key frame) for every sample.</summary>
    Seek,
}

/// <summary>Thresholds chosen by measurement (docs/media-measurements.md).</summary>
internal static class DecodeTuning
{
    /// <summary>Gap between samples above which seeking wins over decoding through.</summary>
    public const double SeekGapSeconds = 10;

    /// <summary>How far past the last requested time a seek segment reads to find the frame at or after it.</summary>
    public const double SegmentTailSeconds = 1;

    /// <summary>At most this many requested times share one FFmpeg run, which keeps the select expression cheap.</summary>
    public const int MaxTimesPerSegment = 32;
}
