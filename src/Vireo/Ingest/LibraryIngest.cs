using System.Diagnostics;
using Vireo.Grounding.Events;
using Vireo.Embedding;
using Vireo.Library;
using Vireo.Models;
using Vireo.Vectors;
using Vireo.Temporal;

namespace Vireo.Ingest;

/// <summary>
/// Ingest: reads video files into a library. The scanner decides what changed, a <see cref="VideoEmbedder"/> pipeline
/// (decode ‖ preprocess ‖ encode) embeds the new and changed files, and each finished video is committed in
/// one transaction. Killing the process at any moment loses only the video in flight; the next run picks it up again.
/// Files that cannot be read or decoded at all are recorded as failed and reported, and the run goes on; they are tried
/// again on the next run. A damaged file is indexed as far as it decodes, with its damaged stretches recorded. One
/// writer at a time: the run holds the library's writer lock (<see cref="VideoLibrary.AcquireWriterLock"/>).
/// </summary>
public sealed class LibraryIngest(VideoLibrary library, EmbeddingModel model, IngestOptions? options = null)
{
    private readonly IngestOptions _options = options ?? new IngestOptions();

    public async Task<IngestReport> RunAsync(IEnumerable<string> inputs, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var paths = inputs.ToList();
        var watch = Stopwatch.StartNew();
        using var channels = new TextChannelReader(_options);
        channels.EnsureAvailable();
        using var writer = library.AcquireWriterLock();
        library.Bind(new LibrarySettings(model.Identity, _options.Embedding.ClipLength, _options.Embedding.FramesPerClip, model.Files.Root));
        var items = LibraryScanner.Scan(library, paths, _options.Extensions);
        library.AddRoots(paths);
        var state = new RunState(items.Count, items.Where(i => i.Action == ScanAction.Encode).Sum(i => i.Size), watch, progress);
        var indexed = new List<(long Id, string Path)>();

        foreach (var item in items)
        {
            switch (item.Action)
            {
                case ScanAction.Skip:
                    state.Unchanged++;
                    if (item.Existing is { Status: VideoStatus.Indexed } unchanged)
                        indexed.Add((unchanged.Id, item.Path));
                    state.FileDone(null);
                    break;
                case ScanAction.Touch:
                    library.Touch(item.Existing!.Id, item.Size, item.ModifiedTicks);
                    state.Unchanged++;
                    indexed.Add((item.Existing.Id, item.Path));
                    state.FileDone(null);
                    break;
                case ScanAction.Reuse:
                    indexed.Add((library.CopyIndexed(item.Source!, item.Path, item.Size, item.ModifiedTicks), item.Path));
                    state.Reused++;
                    state.FileDone(null);
                    break;
                case ScanAction.Fail:
                    RecordFailure(item, item.Error!, state);
                    state.FileDone(null);
                    break;
            }
        }
        var pruned = 0;
        if (_options.Prune)
            pruned = library.Remove(LibraryScanner.Missing(library).Select(v => v.Id));

        await AddMissingChannelsAsync(channels, indexed, state, cancellationToken).ConfigureAwait(false);

        var jobs = items.Where(i => i.Action == ScanAction.Encode).Select(i => new EmbeddingJob<ScanItem>(i.Path, i)).ToList();
        if (jobs.Count > 0)
        {
            await new VideoEmbedder(model, _options.Embedding).RunAsync(jobs, (job, ct) => CommitAsync(job, channels, state, ct),
                state.Decoding, cancellationToken).ConfigureAwait(false);
        }

        var vectorsAdded = _options.Channels.Count > 0 ? SentenceBackfill.Run(library, () => channels.Sentences, cancellationToken) : 0;
        await CoarseIndex.UpdateAsync(library, _options.CoarseIndexThreshold, cancellationToken).ConfigureAwait(false);
        return new IngestReport(state.Added, state.Updated, state.Unchanged, state.Reused, pruned, state.Failures, state.SecondsIndexed, watch.Elapsed)
        {
            Damaged = state.Damaged,
            ChannelReads = state.ChannelReads,
            ChannelFailures = state.ChannelFailures,
            SentenceVectorsAdded = vectorsAdded,
        };
    }

    /// <summary>
    /// Reads, for each video already indexed, only the channels asked for that it lacks, and stores each video's new
    /// text in one transaction of its own; its clips are not decoded again.
    /// </summary>
    private async Task AddMissingChannelsAsync(TextChannelReader channels, List<(long Id, string Path)> indexed, RunState state, CancellationToken ct)
    {
        if (indexed.Count == 0 || _options.Channels.Count == 0)
            return;
        var known = library.TextChannelsByVideo();
        foreach (var (id, path) in indexed)
        {
            var missing = _options.Channels.Where(c => !known.TryGetValue(id, out var read) || !read.Contains(c)).ToList();
            if (missing.Count == 0)
                continue;
            var text = await channels.ReadAsync(path, missing, null, ct).ConfigureAwait(false);
            state.Record(path, text, addedToIndexedVideo: true);
            if (text.Read.Count > 0)
                library.AddTimedText(id, text.Read, text.Entries, text.Vectors, channels.Sentences.Model.Identity);
        }
    }

    private async ValueTask CommitAsync(EmbeddingJob<ScanItem> job, TextChannelReader channels, RunState state, CancellationToken ct)
    {
        var item = job.Item;
        if (!job.Failed)
        {
            try
            {
                var clips = job.BuildClips();
                var text = await channels.ReadAsync(item.Path, _options.Channels, job.Info, ct).ConfigureAwait(false);
                state.Record(item.Path, text, addedToIndexedVideo: false);
                library.Commit(Describe(job, clips) with
                {
                    TextChannels = text.Read, TimedText = text.Entries, TimedTextVectors = text.Vectors,
                    SentenceModel = text.Vectors is null ? null : channels.Sentences.Model.Identity,
                }, model.Identity);
                if (item.Existing is null)
                    state.Added++;
                else
                    state.Updated++;
                state.SecondsIndexed += job.Grid!.Duration;
                if (job.Damage.Count > 0)
                    state.Damaged.Add(new IngestDamage(item.Path, job.Grid.Duration, job.Info!.Duration, job.Damage, job.DamageReport!));
            }
            catch (InvalidOperationException e)
            {
                job.Fail($"{item.Path}: {e.Message}");
            }
        }
        if (job.Failed)
            RecordFailure(item, job.Error!, state);
        state.FileDone(job);
    }

    /// <summary>
    /// Reports a file that could not be indexed and records it as failed (tried again on every run), unless it is an
    /// unreadable folder or a video indexed before that cannot be read now (its entry stays searchable).
    /// </summary>
    private void RecordFailure(ScanItem item, string error, RunState state)
    {
        if (!item.IsFolder && !(item.Action == ScanAction.Fail && item.Existing is { Status: VideoStatus.Indexed }))
            library.RecordFailure(item.Path, item.Size, item.ModifiedTicks, item.ContentHash ?? "", error);
        state.Failures.Add(new IngestFailure(item.Path, error));
    }

    private IndexedVideo Describe(EmbeddingJob<ScanItem> job, EmbeddingMatrix clips)
    {
        var videoVector = new float[clips.Dimension];
        VectorMath.MeanPool(clips.AsSpan(), clips.Dimension, videoVector);
        IReadOnlyList<ClipSpan> spans = [];
        var prototypes = new EmbeddingMatrix(0, clips.Dimension);
        if (_options.Events is { } eventOptions)
        {
            var events = EventSegmenter.Segment(clips, eventOptions);
            (spans, prototypes) = (events.Events, events.Prototypes);
        }
        var item = job.Item;
        // A truncated video is stored as long as it decoded (its clip grid), with the rest as a damaged span.
        return new IndexedVideo(item.Path, item.Size, item.ModifiedTicks, item.ContentHash ?? "", job.Grid!.Duration, _options.Embedding.ClipLength, clips, videoVector, spans, prototypes)
        {
            Damaged = job.Damage,
        };
    }

    /// <summary>Counters of a run, and progress reports.</summary>
    private sealed class RunState(int total, long bytesTotal, Stopwatch watch, IProgress<IngestProgress>? progress)
    {
        private readonly Lock _gate = new();
        private int _done;
        private EmbeddingJob<ScanItem>? _current;
        private double _secondsEstimate;
        private TimeSpan _lastReport;
        private long _bytesDone;

        public int Added { get; set; }

        public int Updated { get; set; }

        public int Unchanged { get; set; }

        public int Reused { get; set; }

        public double SecondsIndexed { get; set; }

        public List<IngestFailure> Failures { get; } = [];

        public List<IngestDamage> Damaged { get; } = [];

        public List<ChannelRead> ChannelReads { get; } = [];

        public List<string> ChannelFailures { get; } = [];

        /// <summary>Counts what the text channels read in one video.</summary>
        public void Record(string path, ChannelText text, bool addedToIndexedVideo)
        {
            foreach (var channel in text.Read)
                ChannelReads.Add(new ChannelRead(path, channel, text.Entries.Count(e => e.Channel == channel), addedToIndexedVideo));
            ChannelFailures.AddRange(text.Failures);
        }

        /// <summary>Called by the decoder for each job it starts and each frame it delivers.</summary>
        public void Decoding(EmbeddingJob<ScanItem> job)
        {
            bool started;
            lock (_gate)
            {
                started = _current != job;
                _current = job;
            }
            if (started)
                Report();
            else
                Tick();
        }

        public void FileDone(EmbeddingJob<ScanItem>? job)
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
                var currentBytes = _current is { Info: { Duration: > 0 } currentInfo } currentJob && _done < total ? currentJob.Item.Size * (inFlight / currentInfo.Duration) : 0;
                var fraction = bytesTotal > 0 ? Math.Clamp((_bytesDone + currentBytes) / bytesTotal, 0, 1) : 1;
                progress.Report(new IngestProgress(_current?.Path, _done, total, doneSeconds, seconds, watch.Elapsed, Failures.Count, fraction));
                _lastReport = watch.Elapsed;
            }
        }
    }
}
