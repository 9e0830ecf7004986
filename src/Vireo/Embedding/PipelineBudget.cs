using Vireo.Media;

namespace Vireo.Embedding;

/// <summary>
/// How a <see cref="VideoEmbedder"/> run shares the CPU between FFmpeg's decoder and the image encoder (measured on
/// 2 cores, docs/architecture.md "Ingest pipeline"): FFmpeg decodes on two frame threads (FFmpeg's automatic three cost
/// a third more CPU for the same frames), and the encoder runs as one single-threaded ONNX Runtime call per core, side by side on
/// different batches (one thread per call did 11.1 images per CPU second against 7.4 for two threads on one call, whose
/// threads wait for each other, on the shared machine; the whole pipeline takes about 20% less CPU). The operating system interleaves the decoder with the encoder workers, so every core
/// stays busy while a video is ingested.
/// </summary>
internal sealed record PipelineBudget(int Threads, int DecodeThreads, int EncoderWorkers, int BatchSize, bool OwnSession)
{
    /// <summary>Spans shorter than this (re-localization's windows) run on the model's own session: opening one costs more than they take.</summary>
    public const double ShortSpanSeconds = 60;

    /// <summary>
    /// Frames up to this size (720p) decode on at most two FFmpeg threads beside the encoder workers; larger ones, whose
    /// decoding costs as much as encoding their samples or more (1080p: 1.7x, 4K: 5x on the bench's files), on up to four.
    /// Frame threading costs little CPU at two threads (+8% of decoding at 720p) and much at more (+31% with FFmpeg's
    /// automatic three on 2 cores), and a single thread left 1080p decode-bound (CPU use 0.73).
    /// </summary>
    public const long SmallFramePixels = 1280L * 736;

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
        var large = video is not null && (long)video.Width * video.Height > SmallFramePixels;
        return Math.Min(Threads, large ? 4 : 2);
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
