using Vireo.Media;
using Vireo.Vectors;
using Vireo.Temporal;

namespace Vireo.Embedding;

/// <summary>
/// One video going through the <see cref="VideoEmbedder"/> pipeline, with the caller's <typeparamref name="TItem"/>
/// (the ingest's scan item, a query's path): the sums of its frame embeddings per clip, filled by the encoder
/// stage, and turned into clip embeddings (mean-pooled, normalised) when its last frame is encoded.
/// </summary>
public sealed class EmbeddingJob<TItem>(string path, TItem item, TemporalWindow? span = null)
{
    private float[]? _sums;
    private int _dimension;
    private int[]? _counts;
    private readonly Lock _gate = new();

    public string Path { get; } = path;

    /// <summary>The part of the video to embed (seconds), or null for all of it; clip times are then relative to its start.</summary>
    public TemporalWindow? Span { get; } = span;

    /// <summary>What the caller attached to the video.</summary>
    public TItem Item { get; } = item;

    public MediaInfo? Info { get; private set; }

    public ClipGrid? Grid { get; private set; }

    public string? Error { get; private set; }

    public bool Failed => Error is not null;

    /// <summary>How far decoding got, in seconds (for progress).</summary>
    public double DecodedUntil { get; internal set; }

    internal void Start(MediaInfo info, ClipGrid grid, int dimension)
    {
        Info = info;
        Grid = grid;
        _dimension = dimension;
        _sums = new float[grid.Count * dimension];
        _counts = new int[grid.Count];
    }

    /// <summary>The media error that stopped the video, when there was one.</summary>
    public Exception? Cause { get; private set; }

    internal void Fail(string error, Exception? cause = null)
    {
        Error ??= error;
        Cause ??= cause;
    }

    /// <summary>
    /// Damaged stretches of the video (seconds, absolute, merged): after each decoding error FFmpeg reported, and
    /// from where a truncated file stopped decoding to its end. Empty for a sound video.
    /// </summary>
    public IReadOnlyList<TemporalWindow> Damage { get; private set; } = [];

    /// <summary>What FFmpeg said about the damage, when there was some.</summary>
    public string? DamageReport { get; private set; }

    /// <summary>
    /// Keeps what decoded before <paramref name="damage"/>. When decoding went on to the end (FFmpeg concealed the
    /// errors), every clip stays and the stretch of one sample step after each error is marked; when it stopped
    /// early (a truncated file), the clip grid ends after the last good sample and the rest is marked.
    /// </summary>
    internal void MarkDamaged(CorruptMediaException damage, double origin, double step)
    {
        var grid = Grid!;
        var end = origin + grid.Duration;
        var last = damage.LastGoodTimestamp ?? origin;
        var reachedEnd = last + 1.5 * step >= end;
        var until = reachedEnd ? end : Math.Min(end, last + step);
        var spans = new List<TemporalWindow>();
        foreach (var time in damage.ErrorTimes)
        {
            // Errors at the last good frame of a truncated file are the truncation itself.
            if (reachedEnd || time < last)
                spans.Add(new TemporalWindow(Math.Max(origin, time), Math.Min(end, time + step)));
        }
        if (!reachedEnd)
            spans.Add(new TemporalWindow(until, end));
        if (spans.Count == 0)
            spans.Add(new TemporalWindow(origin, end)); // damage FFmpeg did not place: all of it is suspect
        Damage = Merge(spans);
        DamageReport = damage.Message;
        if (!reachedEnd)
            Grid = new ClipGrid(until - origin, grid.ClipLength);
    }

    private static List<TemporalWindow> Merge(List<TemporalWindow> spans)
    {
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<TemporalWindow>();
        foreach (var span in spans)
        {
            if (merged.Count > 0 && span.Start <= merged[^1].End + 1e-9)
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, span.End) };
            else
                merged.Add(span);
        }
        return merged;
    }

    /// <summary>Adds a frame's embedding to its clip; encoder workers finishing batches of the same video at once take turns.</summary>
    internal void Accumulate(int clip, ReadOnlySpan<float> embedding)
    {
        var dimension = embedding.Length;
        lock (_gate)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(_sums.AsSpan(clip * dimension, dimension), embedding, _sums.AsSpan(clip * dimension, dimension));
            _counts![clip]++;
        }
    }

    /// <summary>
    /// The clip embeddings: each clip the normalised mean of its frames. A clip no frame fell into (a gap in a
    /// variable-frame-rate stream) takes the embedding of the nearest clip that has frames.
    /// </summary>
    public EmbeddingMatrix BuildClips()
    {
        var count = Grid!.Count;
        var sums = _sums!.Length == count * _dimension ? _sums : _sums.AsSpan(0, count * _dimension).ToArray();
        var clips = new EmbeddingMatrix(sums, count, _dimension);
        var counts = _counts.AsSpan(0, count);
        var filled = new List<int>();
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
                continue;
            VectorMath.NormalizeInPlace(clips[i]);
            filled.Add(i);
        }
        if (filled.Count == 0)
            throw new InvalidOperationException("no frame was decoded");
        var next = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
                continue;
            while (next + 1 < filled.Count && Math.Abs(filled[next + 1] - i) <= Math.Abs(filled[next] - i))
                next++;
            clips[filled[next]].CopyTo(clips[i]);
        }
        return clips;
    }
}
