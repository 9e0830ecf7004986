namespace Vireo.TimedText.Subtitles;

/// <summary>The subtitle file formats Vireo reads.</summary>
public enum SubtitleFormat
{
    /// <summary>SubRip (.srt).</summary>
    SubRip,

    /// <summary>WebVTT (.vtt).</summary>
    WebVtt,

    /// <summary>Advanced SubStation Alpha or SubStation Alpha (.ass, .ssa).</summary>
    Ass,
}

/// <summary>One cue of a subtitle file, its text plain (markup removed, lines joined with '\n').</summary>
/// <param name="Start">Seconds.</param>
/// <param name="End">Seconds, ≥ <paramref name="Start"/>.</param>
/// <param name="Text">The plain text, never empty.</param>
public sealed record SubtitleCue(double Start, double End, string Text);

/// <summary>What a subtitle file holds: its valid cues, in file order, and what was skipped, by <c>file:line</c>.</summary>
public sealed record SubtitleDocument(SubtitleFormat Format, IReadOnlyList<SubtitleCue> Cues, IReadOnlyList<TimedTextIssue> Issues)
{
    /// <summary>The encoding detected when the document was read from bytes (see <see cref="SubtitleEncoding"/>).</summary>
    public string? Encoding { get; init; }
}
