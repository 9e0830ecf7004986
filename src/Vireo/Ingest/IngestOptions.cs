using Vireo.Library;
using Vireo.Embedding;
using Vireo.Grounding.Events;
using Vireo.Temporal;
using Vireo.TimedText;
using Vireo.TimedText.Ocr;
using Vireo.TimedText.Speech;
using Vireo.TimedText.Subtitles;

namespace Vireo.Ingest;

/// <summary>How videos are indexed.</summary>
public sealed record IngestOptions
{
    /// <summary>How videos become clip embeddings (clip length and frames per clip are fixed per library).</summary>
    public EmbeddingOptions Embedding { get; init; } = new();

    /// <summary>
    /// How each video is cut into events, whose prototypes are stored as coarse search vectors (null: none, only the
    /// mean-pooled video vector).
    /// </summary>
    public EventSegmentationOptions? Events { get; init; } = EventSegmentationOptions.Default;

    /// <summary>Coarse vectors from which the library keeps an approximate index (<see cref="CoarseIndex"/>).</summary>
    public int CoarseIndexThreshold { get; init; } = CoarseIndex.Threshold;

    /// <summary>Remove catalog entries whose files no longer exist.</summary>
    public bool Prune { get; init; }

    /// <summary>
    /// The timed-text channels read for each video and stored with it, searchable by their words. Default: subtitles
    /// only. Subtitles cost one FFmpeg demux per subtitle stream and nothing for a file without one; on-screen text costs
    /// 0.05–0.3 s of OCR per second of video (docs/architecture.md) and so multiplies the time of an ingest, so it is asked
    /// for (<c>--channels subtitles,ocr</c>) rather than switched on by whether Tesseract happens to be installed, which
    /// would make one command build different libraries on different machines. A video indexed without a channel gets it,
    /// and only it, from a later run that asks for it.
    /// </summary>
    public IReadOnlySet<TextChannel> Channels { get; init; } = DefaultChannels;

    /// <summary>The channels read when none are named: subtitles.</summary>
    public static IReadOnlySet<TextChannel> DefaultChannels { get; } = new HashSet<TextChannel> { TextChannel.Subtitles };

    /// <summary>How the subtitles channel reads a video.</summary>
    public SubtitleChannelOptions Subtitles { get; init; } = new();

    /// <summary>How the on-screen text channel reads a video.</summary>
    public OcrOptions Ocr { get; init; } = new();

    /// <summary>
    /// The Whisper model of the speech channel: a pulled name (<c>whisper-base</c>) or a ggml file; null: the only model
    /// pulled into the model store. Opened once per run, before anything is written.
    /// </summary>
    public string? SpeechModel { get; init; }

    /// <summary>How the speech channel transcribes a video.</summary>
    public SpeechOptions Speech { get; init; } = new();

    /// <summary>Video file extensions picked up when a folder is indexed (files named explicitly are always taken).</summary>
    public IReadOnlySet<string> Extensions { get; init; } = DefaultExtensions;

    public static IReadOnlySet<string> DefaultExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".wmv", ".flv", ".mpg", ".mpeg", ".ts", ".m2ts", ".mts", ".3gp", ".ogv", ".vob", ".mxf",
    };
}

/// <summary>Where an indexing run stands.</summary>
/// <param name="CurrentFile">The file being decoded.</param>
/// <param name="FilesDone">Files finished (indexed, failed or skipped).</param>
/// <param name="FilesTotal">Files to look at.</param>
/// <param name="SecondsDone">Seconds of video decoded and encoded.</param>
/// <param name="SecondsTotal">Seconds of video to index (known once each file is probed; estimated before).</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Failed">Files that could not be indexed so far.</param>
/// <param name="Fraction">Share of the work done (0..1), by the bytes of the files to decode.</param>
public sealed record IngestProgress(string? CurrentFile, int FilesDone, int FilesTotal, double SecondsDone, double SecondsTotal, TimeSpan Elapsed, int Failed, double Fraction)
{
    /// <summary>Estimated time left.</summary>
    public TimeSpan? Remaining => Fraction > 0.001 ? Elapsed * ((1 - Fraction) / Fraction) : null;

    /// <summary>Seconds of video indexed per second of wall time.</summary>
    public double RealTimeFactor => Elapsed.TotalSeconds > 0 ? SecondsDone / Elapsed.TotalSeconds : 0;
}

/// <summary>A file that could not be indexed, and why.</summary>
public sealed record IngestFailure(string Path, string Error);

/// <summary>
/// A file indexed despite damage: what decoded is indexed (up to <paramref name="IndexedUntil"/> seconds of
/// <paramref name="Duration"/>), and <paramref name="Spans"/> are the damaged stretches recorded in the catalog.
/// </summary>
public sealed record IngestDamage(string Path, double IndexedUntil, double Duration, IReadOnlyList<TemporalWindow> Spans, string Error);

/// <summary>What an indexing run did.</summary>
/// <param name="Added">New videos indexed.</param>
/// <param name="Updated">Changed videos re-indexed.</param>
/// <param name="Unchanged">Videos already up to date (including touched files with the same content).</param>
/// <param name="Reused">Copies or renames of indexed videos, stored without decoding again.</param>
/// <param name="Pruned">Catalog entries removed because their files are gone.</param>
/// <param name="Failures">Files that could not be indexed.</param>
/// <param name="SecondsIndexed">Seconds of video decoded and encoded.</param>
/// <param name="Elapsed">Wall time of the run.</param>
public sealed record IngestReport(int Added, int Updated, int Unchanged, int Reused, int Pruned, IReadOnlyList<IngestFailure> Failures, double SecondsIndexed, TimeSpan Elapsed)
{
    public double RealTimeFactor => Elapsed.TotalSeconds > 0 ? SecondsIndexed / Elapsed.TotalSeconds : 0;

    /// <summary>Files indexed despite damage (counted in <see cref="Added"/> or <see cref="Updated"/> too).</summary>
    public IReadOnlyList<IngestDamage> Damaged { get; init; } = [];

    /// <summary>Every text channel read in this run, per video (a video already indexed is read only for the channels it lacked).</summary>
    public IReadOnlyList<ChannelRead> ChannelReads { get; init; } = [];

    /// <summary>Channels that failed on a video ("path: channel: why"); the video is stored without them and they are tried again next run.</summary>
    public IReadOnlyList<string> ChannelFailures { get; init; } = [];

    /// <summary>Timed-text entries stored before this run without a sentence vector (an older library, a copied video) that were embedded now.</summary>
    public int SentenceVectorsAdded { get; init; }
}

/// <summary>One text channel read in one video during an ingest run.</summary>
/// <param name="Path">The video.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Entries">The entries it found (0 is a valid reading: the channel is recorded as read).</param>
/// <param name="AddedToIndexedVideo">True when the video was already indexed and only this channel was added (no decoding for the clips).</param>
public sealed record ChannelRead(string Path, TextChannel Channel, int Entries, bool AddedToIndexedVideo);
