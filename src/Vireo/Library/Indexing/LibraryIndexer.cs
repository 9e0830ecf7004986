using System.Diagnostics;
using System.Threading.Channels;
using Vireo.Media;
using Vireo.Models;
using Vireo.Vectors;

namespace Vireo.Library.Indexing;

/// <summary>
/// Indexes video files into a library. Three stages run concurrently, connected by bounded queues:
/// FFmpeg decodes and samples frames (its own process), a preprocessing stage fills batches with CLIP's exact
/// preprocessing, and the encoder stage runs the image model; finished videos are committed one transaction
/// each. Killing the process at any moment loses only the video in flight; the next run picks it up again.
/// Unreadable or damaged files are recorded as failed and skipped, and the run goes on.
/// </summary>
public sealed class LibraryIndexer(VideoLibrary library, ClipModel model, IndexingOptions? options = null, IEventSegmenter? events = null)
{
    private readonly IndexingOptions _options = options ?? new IndexingOptions();

    public async Task<IndexingReport> IndexAsync(IEnumerable<string> inputs, IProgress<IndexingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var watch = Stopwatch.StartNew();
        library.Bind(new LibrarySettings(model.Identity, _options.ClipLength, _options.FramesPerClip));
        var items = LibraryScanner.Scan(library, inputs, _options.Extensions);
        var state = new RunState(items.Count, items.Where(i => i.Action == ScanAction.Encode).Sum(i => i.Size), watch, progress);

        foreach (var item in items)
        {
            switch (item.Action)
            {
                case ScanAction.Skip:
                    state.Unchanged++;
                    state.FileDone(null);
                    break;
                case ScanAction.Touch:
                    library.Touch(item.Existing!.Id, item.Size, item.ModifiedTicks);
                    state.Unchanged++;
                    state.FileDone(null);
                    break;
                case ScanAction.Reuse:
                    library.CopyIndexed(item.Source!, item.Path, item.Size, item.ModifiedTicks);
                    state.Reused++;
                    state.FileDone(null);
                    break;
            }
        }
        var pruned = 0;
        if (_options.Prune)
            pruned = library.Remove(LibraryScanner.Missing(library).Select(v => v.Id));

        var jobs = items.Where(i => i.Action == ScanAction.Encode).Select(i => new VideoJob(i)).ToList();
        if (jobs.Count > 0)
            await RunPipelineAsync(jobs, state, cancellationToken).ConfigureAwait(false);

        return new IndexingReport(state.Added, state.Updated, state.Unchanged, state.Reused, pruned, state.Failures, state.SecondsIndexed, watch.Elapsed);
    }

    private async Task RunPipelineAsync(List<VideoJob> jobs, RunState state, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var frames = Channel.CreateBounded<FrameWork>(new BoundedChannelOptions(Math.Max(2, _options.FrameQueue)) { SingleReader = true, SingleWriter = true });
        var batches = Channel.CreateBounded<FrameBatch>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var finished = Channel.CreateUnbounded<VideoJob>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        var stages = new[]
        {
            Stage(() => DecodeAsync(jobs, frames.Writer, state, stop.Token), frames.Writer, stop),
            Stage(() => BatchAsync(frames.Reader, batches.Writer, stop.Token), batches.Writer, stop),
            Stage(() => EncodeAsync(batches.Reader, finished.Writer, stop.Token), finished.Writer, stop),
            Stage(() => CommitAsync(finished.Reader, state, stop.Token), null, stop),
        };
        try
        {
            await Task.WhenAll(stages).ConfigureAwait(false);
        }
        catch when (stages.Any(s => s.IsFaulted))
        {
            // Report the stage that failed first rather than the cancellations it caused.
            var failure = stages.Where(s => s.IsFaulted).Select(s => s.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException);
            if (failure is not null)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }

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

    private static Task Stage(Func<Task> body, ChannelWriter<VideoJob>? output, CancellationTokenSource stop) => Stage<VideoJob>(body, output, stop);

    private async Task DecodeAsync(List<VideoJob> jobs, ChannelWriter<FrameWork> output, RunState state, CancellationToken ct)
    {
        var frameSize = _options.FrameSize ?? FrameSize.ShorterSide(Math.Min(model.Image.InputWidth, model.Image.InputHeight));
        var sampler = new FrameSamplerOptions { Size = frameSize, Threads = _options.DecodeThreads };
        var sampling = FrameSampling.AtRate(_options.FramesPerClip / _options.ClipLength);
        foreach (var job in jobs)
        {
            state.Current(job);
            try
            {
                var info = await MediaProbe.ProbeVideoAsync(job.Item.Path, sampler.MaxSide, sampler.Tools, ct).ConfigureAwait(false);
                var grid = new ClipGrid(info.Duration, _options.ClipLength);
                job.Start(info, grid, model.Dimension);
                await foreach (var frame in FrameSampler.SampleAsync(info, sampling, sampler, ct).ConfigureAwait(false))
                {
                    job.DecodedUntil = frame.Timestamp;
                    state.Tick();
                    await output.WriteAsync(new FrameWork(job, grid.ClipOf(frame.Timestamp), frame), ct).ConfigureAwait(false);
                }
            }
            catch (MediaException e)
            {
                job.Fail(e.Message);
            }
            await output.WriteAsync(new FrameWork(job, -1, null), ct).ConfigureAwait(false);
        }
    }

    private async Task BatchAsync(ChannelReader<FrameWork> input, ChannelWriter<FrameBatch> output, CancellationToken ct)
    {
        var imageLength = model.Image.ImageLength;
        var batchSize = Math.Max(1, _options.BatchSize);
        var batch = new FrameBatch(batchSize, imageLength);
        await foreach (var work in input.ReadAllAsync(ct).ConfigureAwait(false))
        {
            if (work.Frame is null)
            {
                batch.Ending.Add(work.Job);
                if (batch.Count == 0)
                {
                    await output.WriteAsync(batch, ct).ConfigureAwait(false);
                    batch = new FrameBatch(batchSize, imageLength);
                }
                continue;
            }
            using (work.Frame)
            {
                if (work.Job.Failed)
                    continue;
                model.Image.Preprocessor.Preprocess(work.Frame, batch.Pixels.AsSpan(batch.Count * imageLength, imageLength));
                batch.Owners.Add((work.Job, work.Clip));
            }
            if (batch.Count == batchSize)
            {
                await output.WriteAsync(batch, ct).ConfigureAwait(false);
                batch = new FrameBatch(batchSize, imageLength);
            }
        }
        if (batch.Count > 0 || batch.Ending.Count > 0)
            await output.WriteAsync(batch, ct).ConfigureAwait(false);
    }

    private async Task EncodeAsync(ChannelReader<FrameBatch> input, ChannelWriter<VideoJob> output, CancellationToken ct)
    {
        await foreach (var batch in input.ReadAllAsync(ct).ConfigureAwait(false))
        {
            if (batch.Count > 0)
            {
                var embeddings = model.Image.Encode(batch.Pixels, batch.Count, ct);
                for (var i = 0; i < batch.Count; i++)
                {
                    var (job, clip) = batch.Owners[i];
                    if (!job.Failed)
                        job.Accumulate(clip, embeddings[i]);
                }
            }
            foreach (var job in batch.Ending)
                await output.WriteAsync(job, ct).ConfigureAwait(false);
        }
    }

    private async Task CommitAsync(ChannelReader<VideoJob> input, RunState state, CancellationToken ct)
    {
        await foreach (var job in input.ReadAllAsync(ct).ConfigureAwait(false))
        {
            var item = job.Item;
            if (!job.Failed)
            {
                try
                {
                    var clips = job.BuildClips(model.Dimension);
                    library.Commit(Describe(job, clips), model.Identity);
                    if (item.Existing is null)
                        state.Added++;
                    else
                        state.Updated++;
                    state.SecondsIndexed += job.Info!.Duration;
                }
                catch (InvalidOperationException e)
                {
                    job.Fail(e.Message);
                }
            }
            if (job.Failed)
            {
                library.RecordFailure(item.Path, item.Size, item.ModifiedTicks, item.ContentHash ?? "", job.Error!);
                state.Failures.Add(new IndexingFailure(item.Path, job.Error!));
            }
            state.FileDone(job);
        }
    }

    private IndexedVideo Describe(VideoJob job, EmbeddingMatrix clips)
    {
        var videoVector = new float[clips.Dimension];
        VectorMath.MeanPool(clips.AsSpan(), clips.Dimension, videoVector);
        var spans = events?.Segment(clips) ?? [];
        var eventVectors = new EmbeddingMatrix(spans.Count, clips.Dimension);
        for (var i = 0; i < spans.Count; i++)
        {
            var span = spans[i];
            VectorMath.MeanPool(clips.AsSpan().Slice(span.StartClip * clips.Dimension, span.Length * clips.Dimension), clips.Dimension, eventVectors[i]);
        }
        var item = job.Item;
        return new IndexedVideo(item.Path, item.Size, item.ModifiedTicks, item.ContentHash ?? "", job.Info!.Duration, _options.ClipLength, clips, videoVector, spans, eventVectors);
    }

    private sealed record FrameWork(VideoJob Job, int Clip, VideoFrame? Frame);

    /// <summary>Preprocessed frames for one model call, whose they are, and the videos whose last frame is among them.</summary>
    private sealed class FrameBatch(int capacity, int imageLength)
    {
        public float[] Pixels { get; } = new float[capacity * imageLength];

        public List<(VideoJob Job, int Clip)> Owners { get; } = new(capacity);

        public List<VideoJob> Ending { get; } = [];

        public int Count => Owners.Count;
    }

    /// <summary>Counters of a run, and progress reports.</summary>
    private sealed class RunState(int total, long bytesTotal, Stopwatch watch, IProgress<IndexingProgress>? progress)
    {
        private readonly Lock _gate = new();
        private int _done;
        private VideoJob? _current;
        private double _secondsEstimate;
        private TimeSpan _lastReport;
        private long _bytesDone;

        public int Added { get; set; }

        public int Updated { get; set; }

        public int Unchanged { get; set; }

        public int Reused { get; set; }

        public double SecondsIndexed { get; set; }

        public List<IndexingFailure> Failures { get; } = [];

        public void Current(VideoJob job)
        {
            lock (_gate)
                _current = job;
            Report();
        }

        public void FileDone(VideoJob? job)
        {
            lock (_gate)
            {
                _done++;
                if (job?.Info is { } info)
                    _secondsEstimate += info.Duration;
                if (job is not null)
                    _bytesDone += job.Item.Size;
            }
            Report();
        }

        /// <summary>Reports decoding progress inside a long video, at most four times a second.</summary>
        public void Tick()
        {
            if (watch.Elapsed - _lastReport > TimeSpan.FromMilliseconds(250))
                Report();
        }

        private void Report()
        {
            if (progress is null)
                return;
            lock (_gate)
            {
                var inFlight = _current is { Info: { } info } current && !current.Failed ? Math.Min(current.DecodedUntil, info.Duration) : 0;
                var doneSeconds = SecondsIndexed + (_current?.Info is null ? 0 : inFlight);
                var seconds = Math.Max(_secondsEstimate + (_current?.Info?.Duration ?? 0), doneSeconds);
                var currentBytes = _current is { Info: { Duration: > 0 } currentInfo } now && _done < total ? now.Item.Size * (inFlight / currentInfo.Duration) : 0;
                var fraction = bytesTotal > 0 ? Math.Clamp((_bytesDone + currentBytes) / bytesTotal, 0, 1) : 1;
                progress.Report(new IndexingProgress(_current?.Item.Path, _done, total, doneSeconds, seconds, watch.Elapsed, Failures.Count, fraction));
                _lastReport = watch.Elapsed;
            }
        }
    }
}
