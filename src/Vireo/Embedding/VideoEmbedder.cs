using System.Threading.Channels;
using Vireo.Media;
using Vireo.Models;
using Vireo.Temporal;

namespace Vireo.Embedding;

/// <summary>
/// The one place where frames become vectors: video files (or spans of them) into clip embeddings with an
/// <see cref="EmbeddingModel"/>. Library ingest, re-localization and grounding of files outside a library all use it. Three stages run concurrently, connected by bounded queues: FFmpeg decodes
/// and samples frames (its own process), a preprocessing stage fills batches with CLIP's exact preprocessing, and
/// the encoder stage runs the image model. Frames of consecutive videos share batches; each video is handed back,
/// in order, as soon as its last frame is encoded. A file that cannot be decoded at all is handed back failed, and
/// the run goes on; a damaged one keeps every frame decoded before the damage (<see cref="EmbeddingJob{TItem}.Damage"/>).
/// A broken FFmpeg (<see cref="FFmpegFailedException"/>) stops the run: it is no video's fault.
/// </summary>
public sealed class VideoEmbedder
{
    private readonly EmbeddingModel _model;

    public VideoEmbedder(EmbeddingModel model, EmbeddingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        Options = options ?? new EmbeddingOptions();
        Options.Validate();
    }

    public EmbeddingOptions Options { get; }

    /// <summary>The clip embeddings of one video, computed and returned (nothing is stored).</summary>
    /// <exception cref="MediaException">The file cannot be decoded.</exception>
    public Task<ClipEmbeddings> EmbedAsync(string path, CancellationToken cancellationToken = default) => EmbedAsync(path, null, cancellationToken);

    /// <summary>
    /// The clip embeddings of <paramref name="span"/> of a video (all of it when null): clips of the grid are cut from
    /// the span's start, and frames are sampled from there at the options' rate.
    /// </summary>
    /// <exception cref="SpanOutOfRangeException">The span is empty or reaches outside the video.</exception>
    /// <exception cref="MediaException">The file cannot be decoded.</exception>
    public async Task<ClipEmbeddings> EmbedAsync(string path, TemporalWindow? span, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var job = new EmbeddingJob<string>(Path.GetFullPath(path), path, span);
        await RunAsync([job], (_, _) => ValueTask.CompletedTask, null, cancellationToken).ConfigureAwait(false);
        if (job.Cause is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(job.Cause);
        if (job.Failed)
            throw new CorruptMediaException(path, job.Error!, null);
        try
        {
            return new ClipEmbeddings(job.Info!, job.Grid!, job.BuildClips(), job.Span?.Start ?? 0);
        }
        catch (InvalidOperationException e)
        {
            throw new CorruptMediaException(path, e.Message, null);
        }
    }

    /// <summary>Runs the pipeline over <paramref name="jobs"/>; <paramref name="finished"/> sees each one, in order.</summary>
    internal async Task RunAsync<TItem>(IReadOnlyList<EmbeddingJob<TItem>> jobs, Func<EmbeddingJob<TItem>, CancellationToken, ValueTask> finished,
        Action<EmbeddingJob<TItem>>? progress, CancellationToken cancellationToken)
    {
        var budget = PipelineBudget.For(Options, jobs.All(j => j.Span is { Length: < PipelineBudget.ShortSpanSeconds }));
        using var runEncoder = budget.OwnSession ? RunEncoder.OpenSingleThreaded(_model, budget.BatchSize) : null;
        var encoder = runEncoder?.Encoder ?? _model.Image;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var frames = Channel.CreateBounded<FrameWork<TItem>>(new BoundedChannelOptions(Math.Max(2, Options.FrameQueue)) { SingleReader = true, SingleWriter = true });
        var batches = Channel.CreateBounded<FrameBatch<TItem>>(new BoundedChannelOptions(Math.Max(2, budget.EncoderWorkers)) { SingleReader = budget.EncoderWorkers == 1, SingleWriter = true });
        var done = Channel.CreateUnbounded<EmbeddingJob<TItem>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        var sequencer = new BatchSequencer<TItem>(done.Writer);
        var pool = new BufferPool(budget.BatchSize * encoder.ImageLength);

        var encoders = Enumerable.Range(0, budget.EncoderWorkers)
            .Select(_ => Worker(() => EncodeAsync(encoder, batches.Reader, sequencer, pool, stop.Token), stop))
            .ToArray();
        var stages = new[]
        {
            Stage(() => DecodeAsync(jobs, frames.Writer, progress, budget, stop.Token), frames.Writer, stop),
            Stage(() => BatchAsync(encoder, budget.BatchSize, pool, frames.Reader, batches.Writer, stop.Token), batches.Writer, stop),
            Stage(async () => await Task.WhenAll(encoders).ConfigureAwait(false), done.Writer, stop),
            Stage<EmbeddingJob<TItem>>(async () =>
            {
                await foreach (var job in done.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
                    await finished(job, stop.Token).ConfigureAwait(false);
            }, null, stop),
        };
        try
        {
            await Task.WhenAll(stages).ConfigureAwait(false);
        }
        catch when (stages.Concat(encoders).Any(s => s.IsFaulted))
        {
            // Report the stage that failed first rather than the cancellations it caused.
            var failure = stages.Concat(encoders).Where(s => s.IsFaulted).Select(s => s.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException);
            if (failure is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }

    /// <summary>An encoder worker: a thread of its own (ONNX Runtime blocks it for the length of a batch), stopping the others if it fails.</summary>
    private static Task Worker(Func<Task> body, CancellationTokenSource stop) => Task.Factory.StartNew(async () =>
    {
        try
        {
            await body().ConfigureAwait(false);
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }, CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).Unwrap();

    /// <summary>Runs a stage; if it fails, the others are stopped and its queue is closed with the error.</summary>
    private static Task Stage<T>(Func<Task> body, ChannelWriter<T>? output, CancellationTokenSource stop) => Task.Run(async () =>
    {
        try
        {
            await body().ConfigureAwait(false);
            output?.TryComplete();
        }
        catch (Exception e)
        {
            output?.TryComplete(e);
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    });

    private async Task DecodeAsync<TItem>(IReadOnlyList<EmbeddingJob<TItem>> jobs, ChannelWriter<FrameWork<TItem>> output, Action<EmbeddingJob<TItem>>? progress,
        PipelineBudget budget, CancellationToken ct)
    {
        var frameSize = Options.FrameSize ?? FrameSize.ShorterSide(Math.Min(_model.Image.InputWidth, _model.Image.InputHeight));
        var sampler = new FrameSamplerOptions { Size = frameSize, SkipNonReferenceFrames = Options.SkipNonReferenceFrames, SkipLoopFilter = Options.SkipLoopFilter };
        var rate = Options.FramesPerClip / Options.ClipLength;
        foreach (var job in jobs)
        {
            progress?.Invoke(job);
            var origin = 0.0;
            try
            {
                var info = await MediaProbe.ProbeVideoAsync(job.Path, sampler.MaxSide, sampler.Tools, ct).ConfigureAwait(false);
                (origin, var grid, var sampling) = Plan(job, info, rate);
                job.Start(info, grid, _model.Dimension);
                var threads = budget.DecodeThreadsFor(info.PrimaryVideo);
                await foreach (var frame in FrameSampler.SampleAsync(info, sampling, sampler with { Threads = threads }, ct).ConfigureAwait(false))
                {
                    job.DecodedUntil = frame.Timestamp;
                    progress?.Invoke(job);
                    await output.WriteAsync(new FrameWork<TItem>(job, grid.ClipOf(frame.Timestamp - origin), frame), ct).ConfigureAwait(false);
                }
            }
            catch (CorruptMediaException e) when (e.FramesDelivered > 0 && job.Grid is not null)
            {
                // Every frame before the damage was delivered: keep them (see EmbeddingJob.MarkDamaged).
                job.MarkDamaged(e, origin, 1 / rate);
            }
            catch (MediaException e)
            {
                job.Fail(e.Message, e);
            }
            await output.WriteAsync(new FrameWork<TItem>(job, -1, null), ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The clip grid and the sampling of a job: the whole video at the rate, or its span, sampled at the same rate
    /// from the span's start (rounding a span's end that passes the duration by less than a frame down to it).
    /// </summary>
    private (double Origin, ClipGrid Grid, FrameSampling Sampling) Plan<TItem>(EmbeddingJob<TItem> job, MediaInfo info, double rate)
    {
        if (job.Span is not { } span)
            return (0, new ClipGrid(info.Duration, Options.ClipLength), FrameSampling.AtRate(rate));
        const double slack = 0.05;
        if (!span.IsValid || span.Start < 0 || span.Length <= 0 || span.Start >= info.Duration || span.End > info.Duration + slack)
            throw new SpanOutOfRangeException(job.Path, span.Start, span.End, info.Duration);
        var end = Math.Min(span.End, info.Duration);
        var count = Math.Max(1, (int)Math.Ceiling((end - span.Start) * rate - 1e-9));
        var times = new double[count];
        for (var k = 0; k < count; k++)
            times[k] = span.Start + k / rate;
        return (span.Start, new ClipGrid(end - span.Start, Options.ClipLength), FrameSampling.AtTimestamps(times));
    }

    private static async Task BatchAsync<TItem>(ImageEncoder encoder, int batchSize, BufferPool pool, ChannelReader<FrameWork<TItem>> input,
        ChannelWriter<FrameBatch<TItem>> output, CancellationToken ct)
    {
        var imageLength = encoder.ImageLength;
        long sequence = 0;
        var batch = new FrameBatch<TItem>(sequence++, batchSize, pool.Rent());
        await foreach (var work in input.ReadAllAsync(ct).ConfigureAwait(false))
        {
            if (work.Frame is null)
            {
                batch.Ending.Add(work.Job);
                if (batch.Count == 0)
                {
                    await output.WriteAsync(batch, ct).ConfigureAwait(false);
                    batch = new FrameBatch<TItem>(sequence++, batchSize, pool.Rent());
                }
                continue;
            }
            using (work.Frame)
            {
                if (work.Job.Failed)
                    continue;
                encoder.Preprocessor.Preprocess(work.Frame, batch.Pixels.AsSpan(batch.Count * imageLength, imageLength));
                batch.Owners.Add((work.Job, work.Clip));
            }
            if (batch.Count == batchSize)
            {
                await output.WriteAsync(batch, ct).ConfigureAwait(false);
                batch = new FrameBatch<TItem>(sequence++, batchSize, pool.Rent());
            }
        }
        if (batch.Count > 0 || batch.Ending.Count > 0)
            await output.WriteAsync(batch, ct).ConfigureAwait(false);
    }

    private static async Task EncodeAsync<TItem>(ImageEncoder encoder, ChannelReader<FrameBatch<TItem>> input, BatchSequencer<TItem> sequencer, BufferPool pool, CancellationToken ct)
    {
        while (await input.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            if (!input.TryRead(out var batch))
                continue;
            if (batch.Count > 0)
            {
                var embeddings = encoder.Encode(batch.Pixels, batch.Count, ct);
                for (var i = 0; i < batch.Count; i++)
                {
                    var (job, clip) = batch.Owners[i];
                    if (!job.Failed)
                        job.Accumulate(clip, embeddings[i]);
                }
            }
            pool.Return(batch.Pixels);
            sequencer.Completed(batch.Sequence, batch.Ending);
        }
    }

    private sealed record FrameWork<TItem>(EmbeddingJob<TItem> Job, int Clip, VideoFrame? Frame);

    /// <summary>Preprocessed frames for one model call, whose they are, and the videos whose last frame is among them.</summary>
    private sealed class FrameBatch<TItem>(long sequence, int capacity, float[] pixels)
    {
        /// <summary>The batch's place in the run: videos are handed back in this order whichever worker finishes first.</summary>
        public long Sequence { get; } = sequence;

        public float[] Pixels { get; } = pixels;

        public List<(EmbeddingJob<TItem> Job, int Clip)> Owners { get; } = new(capacity);

        public List<EmbeddingJob<TItem>> Ending { get; } = [];

        public int Count => Owners.Count;
    }

    /// <summary>
    /// Hands the videos back in the order of their batches: batch n's ending videos go out once batches 0..n are all
    /// encoded, whichever encoder worker finished them.
    /// </summary>
    private sealed class BatchSequencer<TItem>(ChannelWriter<EmbeddingJob<TItem>> output)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<long, List<EmbeddingJob<TItem>>> _waiting = [];
        private long _next;

        public void Completed(long sequence, List<EmbeddingJob<TItem>> ending)
        {
            lock (_gate)
            {
                _waiting[sequence] = ending;
                while (_waiting.Remove(_next, out var jobs))
                {
                    foreach (var job in jobs)
                        output.TryWrite(job); // unbounded: never refuses while open
                    _next++;
                }
            }
        }
    }

    /// <summary>Batch buffers (several MB each) reused across batches instead of allocated on the large-object heap.</summary>
    private sealed class BufferPool(int length)
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<float[]> _free = [];

        public float[] Rent() => _free.TryTake(out var buffer) ? buffer : new float[length];

        public void Return(float[] buffer) => _free.Add(buffer);
    }
}
