using System.Text;
using Vireo.Errors;
using Vireo.Media;

namespace Vireo.TimedText.Subtitles;

/// <summary>Where a subtitle source is.</summary>
public enum SubtitleSourceKind
{
    /// <summary>A subtitle stream inside the video file.</summary>
    Embedded,

    /// <summary>A subtitle file beside the video.</summary>
    Sidecar,
}

/// <summary>One subtitle source of a video and what was read from it.</summary>
/// <param name="Name">How entries and issues name it: <c>stream 2 (mov_text, eng)</c> or the sidecar's file name.</param>
/// <param name="Kind">Embedded stream or sidecar file.</param>
/// <param name="Format">The format it was parsed as; null for a bitmap stream, which is not parsed.</param>
/// <param name="Language">Its language tag, when known.</param>
/// <param name="Encoding">The detected text encoding (embedded text streams come from FFmpeg as UTF-8); null when nothing was decoded.</param>
/// <param name="Cues">How many cues became entries.</param>
/// <param name="Issues">How many problems it had (listed in <see cref="SubtitleReading.Issues"/>).</param>
public sealed record SubtitleSource(string Name, SubtitleSourceKind Kind, SubtitleFormat? Format, string? Language, string? Encoding, int Cues, int Issues);

/// <summary>A video's subtitle entries, sorted by time, with every source and every problem.</summary>
public sealed record SubtitleReading(IReadOnlyList<TimedTextEntry> Entries, IReadOnlyList<TimedTextIssue> Issues, IReadOnlyList<SubtitleSource> Sources);

/// <summary>Options of <see cref="SubtitleChannel.ReadAsync"/>.</summary>
public sealed record SubtitleChannelOptions
{
    /// <summary>FFmpeg to use; the default one when null.</summary>
    public FFmpegTools? Tools { get; init; }

    /// <summary>The code page of legacy 8-bit sidecars (not UTF-8 or UTF-16); Windows-1252 when null.</summary>
    public Encoding? LegacyEncoding { get; init; }

    /// <summary>Read the streams inside the file.</summary>
    public bool Embedded { get; init; } = true;

    /// <summary>Read the subtitle files beside it.</summary>
    public bool Sidecars { get; init; } = true;
}

/// <summary>
/// The subtitles channel: every text subtitle stream of a video (each language) and every subtitle file beside it, as
/// timed entries (<see cref="TextChannel.Subtitles"/>, confidence 1). A source that cannot be read, a malformed cue, a
/// bitmap stream (left to the OCR channel) is an issue, never an exception and never silently dropped; only a video that
/// cannot be opened at all, a stalled FFmpeg or cancellation throw.
/// </summary>
public static class SubtitleChannel
{
    /// <summary>Reads the subtitles of <paramref name="videoPath"/>; <paramref name="media"/> saves probing it again.</summary>
    public static async Task<SubtitleReading> ReadAsync(
        string videoPath, MediaInfo? media = null, SubtitleChannelOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(videoPath);
        options ??= new SubtitleChannelOptions();
        var tools = options.Tools ?? FFmpegTools.Default;
        var entries = new List<TimedTextEntry>();
        var issues = new List<TimedTextIssue>();
        var sources = new List<SubtitleSource>();

        if (options.Embedded)
        {
            media ??= await MediaProbe.ProbeAsync(videoPath, tools, cancellationToken).ConfigureAwait(false);
            foreach (var stream in media.SubtitleStreams)
            {
                var name = EmbeddedSubtitles.SourceName(stream);
                var language = EmbeddedSubtitles.Language(stream);
                if (EmbeddedSubtitles.IsBitmap(stream))
                {
                    issues.Add(new TimedTextIssue(name, "bitmap subtitles: needs the OCR channel"));
                    sources.Add(new SubtitleSource(name, SubtitleSourceKind.Embedded, null, language, null, 0, 1));
                    continue;
                }
                var document = await EmbeddedSubtitles.ReadAsync(media, stream, tools, cancellationToken).ConfigureAwait(false);
                Add(document, name, SubtitleSourceKind.Embedded, language, entries, issues, sources);
            }
        }
        else if (!File.Exists(videoPath))
        {
            throw new MediaFileNotFoundException(videoPath);
        }

        if (options.Sidecars)
        {
            foreach (var sidecar in SubtitleSidecars.Find(videoPath))
            {
                var name = Path.GetFileName(sidecar.Path);
                SubtitleDocument document;
                try
                {
                    document = await SubtitleFile.ReadAsync(sidecar.Path, options.LegacyEncoding, name, cancellationToken).ConfigureAwait(false);
                }
                catch (InputException e)
                {
                    document = new SubtitleDocument(sidecar.Format, [], [new TimedTextIssue(name, e.Reason)]);
                }
                Add(document, name, SubtitleSourceKind.Sidecar, sidecar.Language, entries, issues, sources);
            }
        }

        entries.Sort(static (a, b) => (a.Start, a.End).CompareTo((b.Start, b.End)) is var byTime and not 0
            ? byTime
            : string.CompareOrdinal(a.Source, b.Source));
        return new SubtitleReading(entries, issues, sources);
    }

    private static void Add(
        SubtitleDocument document, string name, SubtitleSourceKind kind, string? language,
        List<TimedTextEntry> entries, List<TimedTextIssue> issues, List<SubtitleSource> sources)
    {
        foreach (var cue in document.Cues)
            entries.Add(new TimedTextEntry(TextChannel.Subtitles, language, cue.Start, cue.End, cue.Text, 1, name));
        issues.AddRange(document.Issues);
        sources.Add(new SubtitleSource(name, kind, document.Format, language, document.Encoding, document.Cues.Count, document.Issues.Count));
    }
}
