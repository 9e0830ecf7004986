using Vireo.Embedding;
using Vireo.Models;
using Vireo.Temporal;

namespace Vireo.Relocalization;

/// <summary>
/// The clip to look for: a video file (in the library or not), optionally cut to [start, end], embedded with the
/// library's model at a fine step (<see cref="Fine"/>: one frame per unit) and pooled into the library's clips
/// (<see cref="Coarse"/>), both from the span's start.
/// </summary>
public sealed class ClipQuery
{
    private ClipQuery(string path, TemporalWindow span, ClipSequence fine, ClipSequence coarse)
    {
        Path = path;
        Span = span;
        Fine = fine;
        Coarse = coarse;
    }

    /// <summary>The query video (full path).</summary>
    public string Path { get; }

    /// <summary>The part of the query video looked for, in seconds.</summary>
    public TemporalWindow Span { get; }

    /// <summary>The span's embeddings at the fine step (for refinement).</summary>
    public ClipSequence Fine { get; }

    /// <summary>The span's embeddings in clips of the library's length (for alignment with stored clips).</summary>
    public ClipSequence Coarse { get; }

    /// <summary>The normalised mean of the query's embeddings (what the coarse stage compares with video vectors).</summary>
    public float[] Mean()
    {
        var mean = new float[Coarse.Clips.Dimension];
        Vectors.VectorMath.MeanPool(Fine.Clips.AsSpan(), Fine.Clips.Dimension, mean);
        return mean;
    }

    /// <summary>
    /// Embeds <paramref name="span"/> of <paramref name="path"/> (the whole video when null) with
    /// <paramref name="model"/>: one frame every <paramref name="fineStep"/> seconds, pooled into clips of
    /// <paramref name="clipLength"/> seconds.
    /// </summary>
    /// <exception cref="Media.SpanOutOfRangeException">The span is empty or not inside the video.</exception>
    /// <exception cref="Media.MediaException">The file is missing or cannot be decoded.</exception>
    public static async Task<ClipQuery> EmbedAsync(EmbeddingModel model, string path, TemporalWindow? span, double clipLength, double fineStep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(path);
        if (!(clipLength > 0) || !double.IsFinite(clipLength))
            throw new ArgumentOutOfRangeException(nameof(clipLength), clipLength, "the clip length must be a positive number of seconds");
        if (!(fineStep > 0) || fineStep > clipLength)
            throw new ArgumentOutOfRangeException(nameof(fineStep), fineStep, "the fine step must be positive and at most the clip length");
        var full = System.IO.Path.GetFullPath(path);
        if (span is { } s && (!s.IsValid || s.Start < 0 || s.End <= s.Start))
            throw new Media.SpanOutOfRangeException(full, s.Start, s.End, double.NaN);
        var embedder = new VideoEmbedder(model, new EmbeddingOptions { ClipLength = fineStep, FramesPerClip = 1 });
        var embedded = await embedder.EmbedAsync(full, span, cancellationToken).ConfigureAwait(false);
        var fine = new ClipSequence(embedded.Clips, embedded.Grid, embedded.Start);
        return Of(full, fine, clipLength);
    }

    /// <summary>The query of a clip embedded elsewhere (on the silo that holds the video): its fine sequence, pooled here into clips of <paramref name="clipLength"/> seconds.</summary>
    public static ClipQuery Of(string path, ClipSequence fine, double clipLength)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(fine);
        var window = new TemporalWindow(fine.Start, fine.Start + fine.Grid.Duration);
        return new ClipQuery(path, window, fine, fine.Pool(clipLength));
    }
}
