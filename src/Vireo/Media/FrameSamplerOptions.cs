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
    /// Skip decoding frames no other frame depends on (FFmpeg's <c>-skip_frame noref</c>: most B-frames) in a continuous
    /// pass. Opt-in, because it changes which frames are delivered: when the frame a sample time asks for is one of
    /// those, the sample becomes the next decoded frame of its interval (with its own exact time; the pixels of every
    /// delivered frame stay exact). Measured at 1 fps (docs/media-measurements.md): H.264 decoding costs 0.56–0.62 of the
    /// exact decode, but 77% of the samples of an x264 file (43% of a camera-like 1-s GOP file) become a frame 33–51 ms
    /// later, a mean pixel difference of 2.6–3.8 (0–255) from the exact frame; HEVC alike (0.57, 63%); VP9 and AV1 are
    /// unaffected (FFmpeg 5.1 decodes them in full either way). Timestamp requests and seeks never skip.
    /// </summary>
    public bool SkipNonReferenceFrames { get; init; }

    /// <summary>
    /// When sampling at a rate through a whole H.264 or HEVC video, leave out, before decoding, the non-reference pictures
    /// that cannot be a sample (the first frame of each interval always reaches the decoder): the delivered frames are
    /// byte for byte those of decoding every frame, at about 0.6 of the decoding CPU at one frame per second
    /// (<see cref="Relay.PacketRelay"/>; needs FFmpeg 5.1's libraries, Debian 12's, and decodes every frame elsewhere). On by default.
    /// </summary>
    public bool SkipUnsampledPictures { get; init; } = true;

    /// <summary>
    /// Skip H.264/HEVC's deblocking filter (<c>-skip_loop_filter all</c>): the same frames at 0.85 of the CPU, at the cost
    /// of blocking that grows until the next key frame (measured mean pixel difference 0.3–0.6, worst frame 1.3, of 0–255).
    /// Opt-in. VP9 and AV1 decoders ignore it.
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
