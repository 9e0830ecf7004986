using System.Globalization;
using Vireo.Media;

namespace Vireo.TimedText.Subtitles;

/// <summary>
/// Subtitle streams inside a media file. Text streams are converted by FFmpeg to a format the parsers read (ASS streams
/// to ASS so their overrides and drawings are seen, WebVTT to WebVTT, the rest to SubRip) and read from its standard
/// output; bitmap streams (PGS, VobSub, DVB, XSUB) are pictures of text, left to the OCR channel.
/// </summary>
internal static class EmbeddedSubtitles
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] BitmapCodecs = ["hdmv_pgs_subtitle", "dvd_subtitle", "dvb_subtitle", "xsub"];

    public static bool IsBitmap(SubtitleStreamInfo stream) => BitmapCodecs.Contains(stream.Codec, StringComparer.Ordinal);

    /// <summary>"stream 2 (mov_text, eng, "SDH")": how entries and issues name the track.</summary>
    public static string SourceName(SubtitleStreamInfo stream)
    {
        var codec = stream.Codec.Length > 0 ? stream.Codec : "unknown codec";
        var language = Language(stream) is { } tag ? ", " + tag : "";
        var title = string.IsNullOrWhiteSpace(stream.Title) ? "" : $", \"{stream.Title}\"";
        return string.Create(CultureInfo.InvariantCulture, $"stream {stream.Index} ({codec}{language}{title})");
    }

    /// <summary>The stream's language tag; "und" (undetermined) is no language.</summary>
    public static string? Language(SubtitleStreamInfo stream) =>
        string.IsNullOrWhiteSpace(stream.Language) || stream.Language.Equals("und", StringComparison.OrdinalIgnoreCase) ? null : stream.Language;

    /// <summary>The format FFmpeg is asked to write the stream in.</summary>
    public static SubtitleFormat OutputFormat(SubtitleStreamInfo stream) => stream.Codec switch
    {
        "ass" or "ssa" => SubtitleFormat.Ass,
        "webvtt" => SubtitleFormat.WebVtt,
        _ => SubtitleFormat.SubRip,
    };

    /// <summary>
    /// The stream's cues. A stream FFmpeg cannot convert, or one with no cue, comes back as a document with an issue: one
    /// track must not hide the others. Cancellation and a stalled FFmpeg throw; FFmpeg is killed either way.
    /// </summary>
    public static async Task<SubtitleDocument> ReadAsync(MediaInfo media, SubtitleStreamInfo stream, FFmpegTools tools, CancellationToken ct)
    {
        var format = OutputFormat(stream);
        var name = SourceName(stream);
        await using var process = ToolProcess.Start(tools.FFmpegPath, Arguments(media.Path, stream, format), null, StallTimeout, ct);
        var (bytes, tooLarge) = await ReadOutputAsync(process).ConfigureAwait(false);
        var exitCode = await process.WaitForExitAsync().ConfigureAwait(false);
        process.ThrowIfStopped(media.Path);

        if (tooLarge)
            return Failed(format, name, $"larger than {SubtitleFile.MaxBytes >> 20} MB as text: not read");
        if (exitCode != 0)
            return Failed(format, name, "FFmpeg could not read it as text subtitles: " + process.Log.Summary());
        try
        {
            return SubtitleFile.Parse(bytes, format, name);
        }
        catch (Errors.InputException e)
        {
            return Failed(format, name, e.Reason);
        }
    }

    private static SubtitleDocument Failed(SubtitleFormat format, string name, string problem) =>
        new(format, [], [new TimedTextIssue(name, problem)]);

    private static List<string> Arguments(string path, SubtitleStreamInfo stream, SubtitleFormat format)
    {
        var (codec, muxer) = format switch
        {
            SubtitleFormat.Ass => ("ass", "ass"),
            SubtitleFormat.WebVtt => ("webvtt", "webvtt"),
            _ => ("srt", "srt"),
        };
        // Info level keeps FFmpeg's progress line coming while it reads past long stretches without a cue: the
        // watchdog sees progress, and a stall is still a stall.
        return
        [
            "-hide_banner", "-nostdin", "-loglevel", "level+info", "-stats",
            "-i", FFmpegArguments.InputUrl(Path.GetFullPath(path)),
            "-map", "0:" + stream.Index.ToString(CultureInfo.InvariantCulture),
            "-c:s", codec, "-f", muxer, "pipe:1",
        ];
    }

    private static async Task<(byte[] Bytes, bool TooLarge)> ReadOutputAsync(ToolProcess process)
    {
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await process.StandardOutput.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
        {
            process.Touch();
            if (output.Length + read > SubtitleFile.MaxBytes)
            {
                process.Kill();
                return ([], true);
            }
            output.Write(buffer, 0, read);
        }
        return (output.ToArray(), false);
    }
}
