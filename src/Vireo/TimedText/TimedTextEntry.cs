namespace Vireo.TimedText;

/// <summary>Where a timed text comes from.</summary>
public enum TextChannel
{
    /// <summary>A subtitle track embedded in the file or a sidecar file beside it.</summary>
    Subtitles,

    /// <summary>Speech transcribed from the audio.</summary>
    Speech,

    /// <summary>Text read on screen (OCR of frames, or a bitmap subtitle track).</summary>
    Ocr,
}

/// <summary>
/// One timed piece of what is said or written in a video: a subtitle cue, a transcribed speech segment, a span of
/// identical on-screen text.
/// </summary>
/// <param name="Channel">Where it comes from.</param>
/// <param name="Language">BCP-47 / ISO 639 tag when known (a track's <c>language</c> tag, a sidecar's <c>name.en.srt</c>, Whisper's detection), else null.</param>
/// <param name="Start">Seconds from the start of the video.</param>
/// <param name="End">Seconds, ≥ <paramref name="Start"/>.</param>
/// <param name="Text">The text, markup removed, lines joined with '\n'.</param>
/// <param name="Confidence">0..1 (OCR and speech); 1 for subtitles.</param>
/// <param name="Source">The track or file it was read from (e.g. <c>stream 2 (mov_text, eng)</c>, <c>talk.en.srt</c>, <c>tesseract</c>).</param>
public sealed record TimedTextEntry(TextChannel Channel, string? Language, double Start, double End, string Text, double Confidence, string Source);

/// <summary>Something in a text source that was not used, said with where it is (file:line, or the track).</summary>
/// <param name="Where">File and line (<c>talk.srt:17</c>) or track (<c>stream 3 (hdmv_pgs_subtitle)</c>).</param>
/// <param name="Problem">What is wrong or why it was skipped.</param>
public sealed record TimedTextIssue(string Where, string Problem);
