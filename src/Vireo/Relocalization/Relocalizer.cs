using System.Diagnostics;
using System.Globalization;
using Vireo.Errors;
using Vireo.Library;
using Vireo.Media;
using Vireo.Models;
using Vireo.Shards;
using Vireo.Temporal;

namespace Vireo.Relocalization;

/// <summary>
/// Finds where a query clip occurs in a library's videos, and exactly where (video re-localization, near-duplicate
/// segment detection). The query is embedded with the library's model; the query's mean and clips against every
/// video's mean and event vectors choose candidate videos; each candidate's stored clips are aligned with the
/// query's (<see cref="SimilarityMatrix"/>, <see cref="TemporalAligner"/>: tolerant to speed changes of 0.5–2×);
/// alignments above the threshold are refined on frames re-read from the candidate file around them at a finer
/// step, and scored against the candidate's background similarity. Safe to use from several threads. A library split
/// into shards (<see cref="IClipShard"/>: on this machine or on silos of a cluster) is searched as one: each shard runs
/// its part of every phase on its videos and the choices that span the library (which candidates, which matches are
/// refined, the final ranking) are made here, so the answer equals that of one library holding every video.
/// </summary>
public sealed class Relocalizer : IDisposable
{
    /// <summary>Query clips (besides the query's mean) sent to the coarse stage, spread evenly over the query.</summary>
    private const int CoarseProbes = 16;

    private readonly IReadOnlyList<IClipShard> _shards;
    private readonly LibraryReader? _ownedReader;
    private readonly EmbeddingModel _model;
    private readonly Func<double> _clipLength;

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

    /// <summary>
    /// A re-localizer over shards anywhere (a cluster's): <paramref name="model"/> embeds query files; every shard holds
    /// videos of that model in clips of <paramref name="clipLength"/> seconds. A shard that fails or does not answer
    /// within <see cref="RelocalizationOptions.ShardDeadline"/> is named in <see cref="RelocalizationResult.MissingShards"/>.
    /// </summary>
    public Relocalizer(IReadOnlyList<IClipShard> shards, EmbeddingModel model, double clipLength, RelocalizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(model);
        if (shards.Count == 0)
            throw new ArgumentException("search at least one shard", nameof(shards));
        Options = options ?? new RelocalizationOptions();
        Options.Validate();
        (_shards, _model, _clipLength) = (shards, model, () => clipLength);
    }

    private Relocalizer(LibraryReader reader, RelocalizationOptions? options, bool ownsReader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Options = options ?? new RelocalizationOptions();
        Options.Validate();
        (_shards, _ownedReader, _model) = ([new LocalClipShard(reader)], ownsReader ? reader : null, reader.Model);
        _clipLength = () => reader.Library.Settings?.ClipLength ?? ClipGrid.DefaultClipLength;
    }

    public RelocalizationOptions Options { get; }

    /// <summary>The step the query is embedded at: the refinement step, or the library's clip length without refinement.</summary>
    public double FineStep(double clipLength) => Options.RefineStep > 0 ? Math.Min(Options.RefineStep, clipLength) : clipLength;

    /// <summary>Where <paramref name="span"/> of <paramref name="queryVideo"/> (all of it when null) occurs in the library.</summary>
    /// <exception cref="SpanOutOfRangeException">The span is empty or not inside the query video.</exception>
    /// <exception cref="UsageException">The query is shorter than a clip or too long (<see cref="CheckSpan"/>).</exception>
    /// <exception cref="MediaException">The query video is missing or cannot be decoded.</exception>
    public async Task<RelocalizationResult> FindAsync(string queryVideo, TemporalWindow? span = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queryVideo);
        var watch = Stopwatch.StartNew();
        var clipLength = _clipLength();
        var duration = (await MediaProbe.ProbeVideoAsync(queryVideo, cancellationToken: cancellationToken).ConfigureAwait(false)).Duration;
        var checkedSpan = CheckSpan(queryVideo, span ?? new TemporalWindow(0, duration), duration, clipLength, Options.MaxQuerySeconds);
        var query = await ClipQuery.EmbedAsync(_model, queryVideo, span is null ? null : checkedSpan, clipLength, FineStep(clipLength), cancellationToken).ConfigureAwait(false);
        return await FindAsync(query, null, watch, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Where an already embedded query occurs in the library (its coarse clips must have the library's clip length).
    /// <paramref name="queryShard"/> names the shard the query video belongs to, when it is one of the library's videos
    /// (its own span is then only excluded there); null compares the query's path with every shard's videos.
    /// </summary>
    public Task<RelocalizationResult> FindAsync(ClipQuery query, string? queryShard = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return FindAsync(query, queryShard, Stopwatch.StartNew(), cancellationToken);
    }

    private async Task<RelocalizationResult> FindAsync(ClipQuery query, string? queryShard, Stopwatch watch, CancellationToken cancellationToken)
    {
        var embedded = watch.Elapsed.TotalMilliseconds;
        if (query.Coarse.Clips.Dimension != _model.Dimension)
            throw new ArgumentException($"the query has {query.Coarse.Clips.Dimension} dimensions, the library's model {_model.Dimension}", nameof(query));
        if (Math.Abs(query.Coarse.Grid.ClipLength - _clipLength()) > 1e-9)
            throw new ArgumentException($"the query's clips are {query.Coarse.Grid.ClipLength} s long, the library's {_clipLength()} s", nameof(query));
        var missing = new List<string>();
        var shards = new ShardCalls<IClipShard>(_shards, Options.ShardDeadline, missing);

        // Phase 1: per probe, the best videos across the shards; a video's best probe score chooses the candidates.
        var probes = Probes(query);
        var found = await shards.AllAsync((shard, _, ct) => shard.CandidatesAsync(probes, Options.Candidates, ct), cancellationToken).ConfigureAwait(false);
        var ties = new VideoTies();
        for (var i = 0; i < found.Length; i++)
            ties.Add(i, found[i]?.Ties);
        var candidates = ChooseCandidates(found, probes.Length, ties);
        var afterCoarse = watch.Elapsed.TotalMilliseconds;

        // Phase 2: each shard aligns the query's clips with its candidates' stored clips.
        var coarseQuery = ClipVectors.Of(query.Coarse);
        var aligned = await shards.AllAsync((shard, index, ct) => candidates[index].Count == 0
            ? Task.FromResult<IReadOnlyList<ClipMatch>>([])
            : shard.AlignAsync(coarseQuery, query.Span, candidates[index], Options, ct), cancellationToken).ConfigureAwait(false);
        var coarseMatches = new List<(int Shard, ClipMatch Match)>();
        for (var i = 0; i < aligned.Length; i++)
            coarseMatches.AddRange((aligned[i] ?? []).Select(m => (i, m)));
        coarseMatches.Sort((a, b) => CompareMatches(ties, a.Shard, a.Match, b.Shard, b.Match));
        var afterAlign = watch.Elapsed.TotalMilliseconds;

        // Phase 3: the best coarse matches across the library (not the query itself) refined by their shards.
        var refine = Options.RefineStep > 0;
        var toRefine = Enumerable.Range(0, _shards.Count).Select(_ => new List<ClipMatch>()).ToArray();
        var chosen = new List<(int Shard, ClipMatch Match, int Slot)>();
        foreach (var (shard, match) in coarseMatches)
        {
            if (refine && chosen.Count == Options.MaxRefinements)
                break;
            if (IsQueryItself(match, shard, query, queryShard))
                continue;
            chosen.Add((shard, match, toRefine[shard].Count));
            if (refine)
                toRefine[shard].Add(match);
        }
        var fineQuery = refine ? ClipVectors.Of(query.Fine) : null;
        var refined = await shards.AllAsync((shard, index, ct) => toRefine[index].Count == 0
            ? Task.FromResult<IReadOnlyList<ClipMatch?>>([])
            : shard.RefineAsync(fineQuery!, query.Span, toRefine[index], Options, ct), cancellationToken).ConfigureAwait(false);
        var matches = new List<(int Shard, ClipMatch Match)>();
        foreach (var (shard, coarse, slot) in chosen)
        {
            if (refined[shard] is not { } answers)
                continue; // the shard stopped answering: named as missing
            var match = refine && answers[slot] is { } better ? better : coarse;
            if (match.Score >= Options.MinScore && !IsQueryItself(match, shard, query, queryShard))
                matches.Add((shard, match with { Shard = _shards[shard].Name }));
        }
        var kept = KeepDistinct(matches, ties);
        var total = watch.Elapsed.TotalMilliseconds;
        return new RelocalizationResult(query.Path, query.Span, kept, candidates.Sum(c => c.Count),
            new RelocalizationTimings(embedded, afterCoarse - embedded, afterAlign - afterCoarse, total - afterAlign, total))
        {
            MissingShards = missing,
        };
    }

    /// <summary>
    /// The calibrated score of a mean similarity m against a background b: (m − b) / (1 − b), the fraction of the way
    /// from unrelated content to identical content (1 − b is floored at 0.05 for candidates that look like everything).
    /// </summary>
    public static double Calibrate(double meanSimilarity, double background) => (meanSimilarity - background) / Math.Max(1 - background, 0.05);

    /// <summary>The mean similarity that calibrates to <paramref name="score"/> against <paramref name="background"/>.</summary>
    internal static double MeanSimilarityFor(double score, double background) => background + score * Math.Max(1 - background, 0.05);

    internal static ClipMatch Match(LibraryVideo video, TemporalWindow querySpan, TemporalWindow window, double meanSimilarity, double background, bool refined) =>
        new(video.Id, video.Path, window.Start, window.End, Calibrate(meanSimilarity, background), meanSimilarity, background,
            window.Length > 0 ? querySpan.Length / window.Length : 1, refined);

    /// <summary>The query's mean and up to <see cref="CoarseProbes"/> of its clips, spread evenly: what the coarse stage compares with video vectors.</summary>
    private static float[][] Probes(ClipQuery query)
    {
        var clips = query.Coarse.Clips;
        var count = Math.Min(CoarseProbes, clips.Count);
        var probes = new float[count + 1][];
        probes[0] = query.Mean();
        for (var p = 0; p < count; p++)
            probes[p + 1] = clips.Row((int)((p + 0.5) * clips.Count / count));
        return probes;
    }

    /// <summary>
    /// Per shard, the candidate videos: for each probe its best videos across all shards (as many as one library's
    /// coarse stage gives), each video scored by its best probe, and the best of them, as many as one library takes.
    /// </summary>
    private List<long>[] ChooseCandidates(ClipCandidates?[] found, int probes, VideoTies ties)
    {
        var best = new Dictionary<(int Shard, long VideoId), double>();
        for (var p = 0; p < probes; p++)
        {
            var merged = new List<(int Shard, ClipCandidate Candidate)>();
            for (var shard = 0; shard < found.Length; shard++)
                merged.AddRange((found[shard]?.PerProbe[p] ?? []).Select(c => (shard, c)));
            merged.Sort((a, b) => b.Candidate.Score != a.Candidate.Score ? b.Candidate.Score.CompareTo(a.Candidate.Score) : ties.Compare(a.Shard, a.Candidate.VideoId, b.Shard, b.Candidate.VideoId));
            foreach (var (shard, candidate) in merged.Take(Options.Candidates))
            {
                if (!best.TryGetValue((shard, candidate.VideoId), out var score) || candidate.Score > score)
                    best[(shard, candidate.VideoId)] = candidate.Score;
            }
        }
        var ranked = best.ToList();
        ranked.Sort((a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : ties.Compare(a.Key.Shard, a.Key.VideoId, b.Key.Shard, b.Key.VideoId));
        var chosen = Enumerable.Range(0, found.Length).Select(_ => new List<long>()).ToArray();
        foreach (var ((shard, videoId), _) in ranked.Take(Options.Candidates))
            chosen[shard].Add(videoId);
        return chosen;
    }

    /// <summary>
    /// Best score first; ties by the videos' tie rule, then start and end, so that the order depends neither on how the
    /// videos are split over shards nor on the order the shards answered in.
    /// </summary>
    private static int CompareMatches(VideoTies ties, int shardA, ClipMatch a, int shardB, ClipMatch b) =>
        b.Score != a.Score ? b.Score.CompareTo(a.Score)
        : ties.Compare(shardA, a.VideoId, shardB, b.VideoId) is var byVideo and not 0 ? byVideo
        : a.Start != b.Start ? a.Start.CompareTo(b.Start)
        : a.End.CompareTo(b.End);

    /// <summary>The query's own span when the query video is in the library (and, when known, in this shard).</summary>
    private bool IsQueryItself(ClipMatch match, int shard, ClipQuery query, string? queryShard) =>
        Options.ExcludeQuerySpan && (queryShard is null || queryShard == _shards[shard].Name)
        && string.Equals(match.Path, query.Path, StringComparison.Ordinal) && match.Window.IoU(query.Span) >= 0.5;

    /// <summary>Best first; per video, matches overlapping a better one (refinement can move two together) and those past the per-video limit are dropped.</summary>
    private List<ClipMatch> KeepDistinct(List<(int Shard, ClipMatch Match)> matches, VideoTies ties)
    {
        matches.Sort((a, b) => CompareMatches(ties, a.Shard, a.Match, b.Shard, b.Match));
        var kept = new List<ClipMatch>();
        var perVideo = new Dictionary<(int, long), List<ScoredWindow>>();
        foreach (var (shard, match) in matches)
        {
            if (!perVideo.TryGetValue((shard, match.VideoId), out var windows))
                perVideo[(shard, match.VideoId)] = windows = [];
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

    public void Dispose() => _ownedReader?.Dispose();
}
