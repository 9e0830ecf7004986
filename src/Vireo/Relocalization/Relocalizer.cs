using System.Diagnostics;
using System.Globalization;
using Vireo.Embedding;
using Vireo.Errors;
using Vireo.Library;
using Vireo.Media;
using Vireo.Models;
using Vireo.Temporal;

namespace Vireo.Relocalization;

/// <summary>
/// Finds where a query clip occurs in a library's videos, and exactly where (video re-localization, near-duplicate
/// segment detection). The query is embedded with the library's model; the query's mean and clips against every
/// video's mean and event vectors choose candidate videos; each candidate's stored clips are aligned with the
/// query's (<see cref="SimilarityMatrix"/>, <see cref="TemporalAligner"/>: tolerant to speed changes of 0.5–2×);
/// alignments above the threshold are refined on frames re-read from the candidate file around them at a finer
/// step, and scored against the candidate's background similarity. Safe to use from several threads.
/// </summary>
public sealed class Relocalizer : IDisposable
{
    /// <summary>Query clips (besides the query's mean) sent to the coarse stage, spread evenly over the query.</summary>
    private const int CoarseProbes = 16;

    private readonly LibraryReader _reader;
    private readonly bool _ownsReader;
    private readonly VideoLibrary _library;
    private readonly EmbeddingModel _model;
    private readonly TemporalAligner _aligner;

    /// <exception cref="ModelMismatchException">The library was indexed with another model.</exception>
    public Relocalizer(VideoLibrary library, EmbeddingModel model, RelocalizationOptions? options = null)
        : this(new LibraryReader(library, model), options, ownsReader: true)
    {
    }

    /// <summary>A re-localizer over a shared reader (which the caller disposes).</summary>
    public Relocalizer(LibraryReader reader, RelocalizationOptions? options = null)
        : this(reader, options, ownsReader: false)
    {
    }

    private Relocalizer(LibraryReader reader, RelocalizationOptions? options, bool ownsReader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Options = options ?? new RelocalizationOptions();
        Options.Validate();
        (_reader, _ownsReader, _library, _model) = (reader, ownsReader, reader.Library, reader.Model);
        _aligner = new TemporalAligner(Options.SpeedChangePenalty, Options.MinSpeed, Options.MaxSpeed);
    }

    public RelocalizationOptions Options { get; }

    /// <summary>The step the query is embedded at: the refinement step, or the library's clip length without refinement.</summary>
    private double FineStep(double clipLength) => Options.RefineStep > 0 ? Math.Min(Options.RefineStep, clipLength) : clipLength;

    /// <summary>Where <paramref name="span"/> of <paramref name="queryVideo"/> (all of it when null) occurs in the library.</summary>
    /// <exception cref="SpanOutOfRangeException">The span is empty or not inside the query video.</exception>
    /// <exception cref="UsageException">The query is shorter than a clip or too long (<see cref="CheckSpan"/>).</exception>
    /// <exception cref="MediaException">The query video is missing or cannot be decoded.</exception>
    public async Task<RelocalizationResult> FindAsync(string queryVideo, TemporalWindow? span = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queryVideo);
        var watch = Stopwatch.StartNew();
        var clipLength = _library.Settings?.ClipLength ?? ClipGrid.DefaultClipLength;
        var duration = (await MediaProbe.ProbeVideoAsync(queryVideo, cancellationToken: cancellationToken).ConfigureAwait(false)).Duration;
        var checkedSpan = CheckSpan(queryVideo, span ?? new TemporalWindow(0, duration), duration, clipLength, Options.MaxQuerySeconds);
        var query = await ClipQuery.EmbedAsync(_model, queryVideo, span is null ? null : checkedSpan, clipLength, FineStep(clipLength), cancellationToken).ConfigureAwait(false);
        return await FindAsync(query, watch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How far past a video's end a query clip may reach (rounding in a client's numbers); it is cut at the end.</summary>
    public const double EndSlackSeconds = 0.5;

    /// <summary>
    /// <paramref name="span"/> of the video at <paramref name="path"/> checked against the video (it must start before
    /// the end and end at most <see cref="EndSlackSeconds"/> after it; it is cut at the end), against the shortest query
    /// that can match (one clip of the library: a shorter one has no coarse clip to compare, and would "match" at any
    /// speed) and against the longest accepted.
    /// </summary>
    /// <exception cref="SpanOutOfRangeException">The span is empty, not finite or not inside the video.</exception>
    /// <exception cref="UsageException">The span is shorter than a clip or longer than <paramref name="maxLength"/>.</exception>
    public static TemporalWindow CheckSpan(string path, TemporalWindow span, double duration, double clipLength, double maxLength = double.PositiveInfinity)
    {
        if (!(span.Start >= 0 && span.End > span.Start && double.IsFinite(span.End)))
            throw new SpanOutOfRangeException(path, span.Start, span.End, double.NaN);
        if (double.IsFinite(duration) && duration > 0)
        {
            if (span.Start >= duration || span.End > duration + EndSlackSeconds)
                throw new SpanOutOfRangeException(path, span.Start, span.End, duration);
            span = new TemporalWindow(span.Start, Math.Min(span.End, duration));
        }
        if (span.Length < clipLength - 1e-9)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"the query clip is {span.Length:0.###} s long: it must be at least {clipLength:0.###} s (one clip of the library)"));
        if (span.Length > maxLength)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"the query clip may be at most {maxLength:0.###} s long"));
        return span;
    }

    /// <summary>Where an already embedded query occurs in the library (its coarse clips must have the library's clip length).</summary>
    public Task<RelocalizationResult> FindAsync(ClipQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return FindAsync(query, Stopwatch.StartNew(), cancellationToken);
    }

    private async Task<RelocalizationResult> FindAsync(ClipQuery query, Stopwatch watch, CancellationToken cancellationToken)
    {
        var embedded = watch.Elapsed.TotalMilliseconds;
        if (query.Coarse.Clips.Dimension != _model.Dimension)
            throw new ArgumentException($"the query has {query.Coarse.Clips.Dimension} dimensions, the library's model {_model.Dimension}", nameof(query));
        if (_library.Settings is { } settings && Math.Abs(query.Coarse.Grid.ClipLength - settings.ClipLength) > 1e-9)
            throw new ArgumentException($"the query's clips are {query.Coarse.Grid.ClipLength} s long, the library's {settings.ClipLength} s", nameof(query));
        var candidates = await CandidatesAsync(query, cancellationToken).ConfigureAwait(false);
        var afterCoarse = watch.Elapsed.TotalMilliseconds;

        var coarseMatches = new List<(LibraryVideo Video, Alignment Alignment, double Background)>();
        foreach (var videoId in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_library.Find(videoId) is not { Status: VideoStatus.Indexed } video)
                continue; // removed since the coarse vectors were read
            var similarities = SimilarityMatrix.Compute(query.Coarse.Clips, _library.ReadClips(videoId));
            var background = similarities.Background();
            var minScore = Options.RefineStep > 0 ? Options.MinScore - Options.CoarseMargin : Options.MinScore;
            foreach (var alignment in _aligner.Align(similarities, Options.MatchesPerVideo, MeanSimilarityFor(minScore, background)))
                coarseMatches.Add((video, alignment, background));
        }
        var afterAlign = watch.Elapsed.TotalMilliseconds;

        coarseMatches.Sort((a, b) => Calibrate(b.Alignment.Score, b.Background).CompareTo(Calibrate(a.Alignment.Score, a.Background)));
        var matches = new List<ClipMatch>();
        var refine = Options.RefineStep > 0;
        var refinements = 0;
        foreach (var (video, alignment, background) in coarseMatches)
        {
            if (refine && refinements == Options.MaxRefinements)
                break;
            var grid = new ClipGrid(video.Duration, video.ClipLength);
            var window = new TemporalWindow(grid[alignment.FirstColumn].Start, grid[alignment.LastColumn].End);
            var match = Match(video, query, window, alignment.Score, background, refined: false);
            if (IsQueryItself(match, query))
                continue;
            if (refine)
            {
                refinements++;
                if (await RefineAsync(video, query, window, background, cancellationToken).ConfigureAwait(false) is { } refined)
                    match = refined;
            }
            if (match.Score >= Options.MinScore && !IsQueryItself(match, query))
                matches.Add(match);
        }
        var kept = KeepDistinct(matches);
        var total = watch.Elapsed.TotalMilliseconds;
        return new RelocalizationResult(query.Path, query.Span, kept, candidates.Count,
            new RelocalizationTimings(embedded, afterCoarse - embedded, afterAlign - afterCoarse, total - afterAlign, total));
    }

    /// <summary>
    /// The calibrated score of a mean similarity m against a background b: (m − b) / (1 − b), the fraction of the way
    /// from unrelated content to identical content (1 − b is floored at 0.05 for candidates that look like everything).
    /// </summary>
    public static double Calibrate(double meanSimilarity, double background) => (meanSimilarity - background) / Math.Max(1 - background, 0.05);

    /// <summary>The mean similarity that calibrates to <paramref name="score"/> against <paramref name="background"/>.</summary>
    private static double MeanSimilarityFor(double score, double background) => background + score * Math.Max(1 - background, 0.05);

    /// <summary>
    /// Candidate videos: the best coarse similarity of any of the query's probes (its mean and up to
    /// <see cref="CoarseProbes"/> of its clips) with a video's mean or event vectors, best first.
    /// </summary>
    private async Task<List<long>> CandidatesAsync(ClipQuery query, CancellationToken cancellationToken)
    {
        var stage = await _reader.Coarse.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var best = new Dictionary<long, double>();
        void Add(ReadOnlySpan<float> probe)
        {
            foreach (var candidate in stage.Candidates(probe, Options.Candidates))
            {
                if (!best.TryGetValue(candidate.VideoId, out var score) || candidate.Score > score)
                    best[candidate.VideoId] = candidate.Score;
            }
        }
        Add(query.Mean());
        var clips = query.Coarse.Clips;
        var probes = Math.Min(CoarseProbes, clips.Count);
        for (var p = 0; p < probes; p++)
            Add(clips[(int)((p + 0.5) * clips.Count / probes)]);
        var ranked = new List<KeyValuePair<long, double>>(best);
        ranked.Sort((a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : a.Key.CompareTo(b.Key));
        var ids = new List<long>(Math.Min(ranked.Count, Options.Candidates));
        for (var i = 0; i < ranked.Count && i < Options.Candidates; i++)
            ids.Add(ranked[i].Key);
        return ids;
    }

    /// <summary>
    /// The fine alignment of a coarse match: the candidate file's stretch around it embedded at the query's fine step
    /// and aligned with the query's fine sequence. Null when the file changed or can no longer be read (the coarse
    /// match stands).
    /// </summary>
    private async Task<ClipMatch?> RefineAsync(LibraryVideo video, ClipQuery query, TemporalWindow coarse, double background, CancellationToken cancellationToken)
    {
        if (!video.IsUnchangedOnDisk())
            return null;
        var stretch = new TemporalWindow(Math.Max(0, coarse.Start - Options.RefineMargin), Math.Min(video.Duration, coarse.End + Options.RefineMargin));
        ClipEmbeddings frames;
        try
        {
            var step = query.Fine.Grid.ClipLength;
            frames = await new VideoEmbedder(_model, new EmbeddingOptions { ClipLength = step, FramesPerClip = 1 })
                .EmbedAsync(video.Path, stretch, cancellationToken).ConfigureAwait(false);
        }
        catch (MediaException)
        {
            return null;
        }
        var fine = new ClipSequence(frames.Clips, frames.Grid, frames.Start);
        var alignments = _aligner.Align(SimilarityMatrix.Compute(query.Fine.Clips, fine.Clips));
        if (alignments.Count == 0)
            return null;
        var best = alignments[0];
        return Match(video, query, fine.Span(best.FirstColumn, best.LastColumn), best.Score, background, refined: true);
    }

    private static ClipMatch Match(LibraryVideo video, ClipQuery query, TemporalWindow window, double meanSimilarity, double background, bool refined) =>
        new(video.Id, video.Path, window.Start, window.End, Calibrate(meanSimilarity, background), meanSimilarity, background,
            window.Length > 0 ? query.Span.Length / window.Length : 1, refined);

    /// <summary>The query's own span when the query video is in the library.</summary>
    private bool IsQueryItself(ClipMatch match, ClipQuery query) =>
        Options.ExcludeQuerySpan && string.Equals(match.Path, query.Path, StringComparison.Ordinal) && match.Window.IoU(query.Span) >= 0.5;

    /// <summary>Best first; per video, matches overlapping a better one (refinement can move two together) and those past the per-video limit are dropped.</summary>
    private List<ClipMatch> KeepDistinct(List<ClipMatch> matches)
    {
        matches.Sort((a, b) => b.Score.CompareTo(a.Score));
        var kept = new List<ClipMatch>();
        var perVideo = new Dictionary<long, List<ScoredWindow>>();
        foreach (var match in matches)
        {
            if (!perVideo.TryGetValue(match.VideoId, out var windows))
                perVideo[match.VideoId] = windows = [];
            var window = new ScoredWindow(match.Start, match.End, match.Score);
            if (windows.Count >= Options.MatchesPerVideo || TemporalNms.IsSuppressed(window, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(windows), 0))
                continue;
            windows.Add(window);
            kept.Add(match);
            if (kept.Count == Options.TopK)
                break;
        }
        return kept;
    }

    public void Dispose()
    {
        if (_ownsReader)
            _reader.Dispose();
    }
}
