using Vireo.Media;

namespace Vireo.Embedding;

/// <summary>
/// How a <see cref="VideoEmbedder"/> run shares the CPU between FFmpeg's decoder and the image encoder (measured on
/// 2 cores, docs/architecture.md "Ingest pipeline"): FFmpeg decodes on one thread (its frame threads cost a third more
/// CPU for the same frames), and the encoder runs as one single-threaded ONNX Runtime call per core, side by side on
/// different batches (one thread per call does 1.5x the images per CPU second of two threads on one call, whose
/// threads wait for each other). The operating system interleaves the decoder with the encoder workers, so every core
/// stays busy while a video is ingested.
/// </summary>
internal sealed record PipelineBudget(int Threads, int DecodeThreads, int EncoderWorkers, int BatchSize, bool OwnSession)
{
    /// <summary>Spans shorter than this (re-localization's windows) run on the model's own session: opening one costs more than they take.</summary>
    public const double ShortSpanSeconds = 60;

    /// <summary>
    /// Frames up to this size (1080p) decode on one FFmpeg thread beside the encoder workers; larger ones (4K), whose
    /// decoding costs more than encoding their samples, get FFmpeg threads for every thread of the budget.
    /// </summary>
    public const long SingleThreadDecodeMaxPixels = 1920L * 1088;

    public static PipelineBudget For(EmbeddingOptions options, bool onlyShortSpans)
    {
        var threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        return options.Encoder switch
        {
            EncoderMode.Model => new PipelineBudget(threads, options.DecodeThreads, 1, options.BatchSize, OwnSession: false),
            EncoderMode.Shared => new PipelineBudget(threads, options.DecodeThreads, threads, options.BatchSize, OwnSession: false) { Parallel = true },
            EncoderMode.Parallel => new PipelineBudget(threads, options.DecodeThreads, threads, options.BatchSize, OwnSession: true) { Parallel = true },
            _ when threads > 1 && !onlyShortSpans => new PipelineBudget(threads, options.DecodeThreads, threads, options.BatchSize, OwnSession: true) { Parallel = true },
            _ => new PipelineBudget(threads, options.DecodeThreads, 1, options.BatchSize, OwnSession: false),
        };
    }

    /// <summary>True when the encoder runs as one single-threaded call per thread of the budget (FFmpeg then gets one thread up to 1080p).</summary>
    public bool Parallel { get; init; }

    /// <summary>FFmpeg's decoder threads for a video: the options' count, else by frame size when the encoder runs in parallel, else FFmpeg's choice (0).</summary>
    public int DecodeThreadsFor(VideoStreamInfo? video)
    {
        if (DecodeThreads > 0)
            return DecodeThreads;
        if (!Parallel)
            return 0;
        return video is not null && (long)video.Width * video.Height > SingleThreadDecodeMaxPixels ? Threads : 1;
    }
}

/// <summary>Where a <see cref="VideoEmbedder"/> runs the image encoder.</summary>
public enum EncoderMode
{
    /// <summary>Parallel for whole videos on a machine with more than one core; the model's session for short spans.</summary>
    Auto,

    /// <summary>The model's own session, one batch at a time with the threads it was loaded with (nothing to open).</summary>
    Model,

    /// <summary>A single-threaded session of the same weights opened for the run, one batch per thread of the budget at once.</summary>
    Parallel,

    /// <summary>
    /// One batch per thread of the budget at once on the model's own session, which the caller loaded single-threaded
    /// (<c>EncoderOptions.IntraOpThreads = 1</c>, as <c>vireo index</c> does): no second copy of the weights (ONNX Runtime
    /// keeps a prepacked copy of each: about 0.7 GB for ViT-B/32 in float32).
    /// </summary>
    Shared,
}
