using System.Text;
using Vireo.Errors;

namespace Vireo.TimedText.Subtitles;

/// <summary>Reads one subtitle file or buffer: detects its encoding and format, parses it, and refuses one with no valid cue.</summary>
public static class SubtitleFile
{
    /// <summary>Larger than any real subtitle file (a feature film's is well under 1 MB): not read.</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>The format a file name's extension (any case) says: .srt, .vtt, .ass, .ssa; null for others.</summary>
    public static SubtitleFormat? FormatOf(string fileName) => Path.GetExtension(fileName).ToUpperInvariant() switch
    {
        ".SRT" => SubtitleFormat.SubRip,
        ".VTT" => SubtitleFormat.WebVtt,
        ".ASS" or ".SSA" => SubtitleFormat.Ass,
        _ => null,
    };

    /// <summary>
    /// Reads <paramref name="path"/> (format from its content, else its extension). Throws <see cref="InputException"/> naming
    /// it when it is missing, too large or holds no valid cue. Issues name it <paramref name="name"/> (the path when null).
    /// </summary>
    public static async Task<SubtitleDocument> ReadAsync(
        string path, Encoding? legacyEncoding = null, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            if (new FileInfo(path).Length > MaxBytes)
                throw new InputException(path, $"larger than {MaxBytes >> 20} MB: not a subtitle file");
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException(path, "subtitle file not found", ErrorKind.NotFound);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, "cannot read the subtitle file: " + e.Message);
        }
        try
        {
            return Parse(bytes, FormatOf(path) ?? SubtitleFormat.SubRip, name ?? path, legacyEncoding);
        }
        catch (InputException e) when (name is not null)
        {
            throw new InputException(path, e.Reason);
        }
    }

    /// <summary>
    /// Decodes and parses <paramref name="bytes"/>; <paramref name="declared"/> is used unless the content says otherwise (a
    /// WEBVTT header, an ASS section). <paramref name="name"/> is the file or track named in issues and errors.
    /// </summary>
    public static SubtitleDocument Parse(ReadOnlySpan<byte> bytes, SubtitleFormat declared, string name, Encoding? legacyEncoding = null)
    {
        var decoded = SubtitleEncoding.Decode(bytes, legacyEncoding);
        var document = Parse(decoded.Text, declared, name) with { Encoding = decoded.Encoding };
        if (document.Cues.Count == 0)
            throw new InputException(name, NoCueReason(document));
        return document;
    }

    /// <summary>Parses decoded text in the format its content shows, else <paramref name="declared"/>; no check that any cue was found.</summary>
    public static SubtitleDocument Parse(string text, SubtitleFormat declared, string name) => Sniff(text, declared) switch
    {
        SubtitleFormat.WebVtt => WebVttParser.Parse(text, name),
        SubtitleFormat.Ass => AssParser.Parse(text, name),
        _ => SubRipParser.Parse(text, name),
    };

    private static SubtitleFormat Sniff(string text, SubtitleFormat declared)
    {
        var start = text.AsSpan().TrimStart();
        var firstLineEnd = start.IndexOfAny('\r', '\n');
        if (WebVttParser.HasHeader(firstLineEnd < 0 ? start : start[..firstLineEnd]))
            return SubtitleFormat.WebVtt;
        if (start.StartsWith("[Script Info]", StringComparison.OrdinalIgnoreCase)
            || text.Contains("[Events]", StringComparison.OrdinalIgnoreCase))
            return SubtitleFormat.Ass;
        return declared;
    }

    private static string NoCueReason(SubtitleDocument document) => document.Issues.Count == 0
        ? $"no subtitle cue found (read as {document.Format}, {document.Encoding})"
        : $"no valid subtitle cue (read as {document.Format}, {document.Encoding}; {document.Issues.Count} problem(s), the first at " +
          $"{document.Issues[0].Where}: {document.Issues[0].Problem})";
}
