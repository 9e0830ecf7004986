using Vireo.Vectors;
using Vireo.Temporal;
using Vireo.TimedText;

namespace Vireo.Library;

/// <summary>Kinds of the coarse vectors kept per video for the first stage of search.</summary>
public enum VectorKind
{
    /// <summary>The mean of all clip embeddings, normalised (CLIP4Clip's meanP).</summary>
    Video = 0,

    /// <summary>The mean of the clips of one event (a contiguous stretch of similar clips), normalised.</summary>
    Event = 1,
}

/// <summary>Everything the indexer stores for one video, written in one transaction.</summary>
public sealed record IndexedVideo(
    string Path,
    long Size,
    long ModifiedTicks,
    string ContentHash,
    double Duration,
    double ClipLength,
    EmbeddingMatrix Clips,
    float[] VideoVector,
    IReadOnlyList<ClipSpan> Events,
    EmbeddingMatrix EventVectors)
{
    /// <summary>Damaged stretches (seconds); a truncated file's clips end where its damage starts (<see cref="LibraryVideo.Damaged"/>).</summary>
    public IReadOnlyList<TemporalWindow> Damaged { get; init; } = [];

    /// <summary>The timed-text channels read for the video (stored as read even when they found nothing).</summary>
    public IReadOnlyCollection<TextChannel> TextChannels { get; init; } = [];

    /// <summary>What those channels read; every entry's channel is one of <see cref="TextChannels"/>.</summary>
    public IReadOnlyList<TimedTextEntry> TimedText { get; init; } = [];

    /// <summary>The sentence vectors of <see cref="TimedText"/>, one row per entry, or null (computed later).</summary>
    public float[]? TimedTextVectors { get; init; }

    /// <summary>The sentence model of <see cref="TimedTextVectors"/>.</summary>
    public string? SentenceModel { get; init; }
}
