using System.Text;
using System.Text.Unicode;

namespace Vireo.TimedText.Subtitles;

/// <summary>Subtitle bytes decoded to text, with the encoding that was detected.</summary>
/// <param name="Text">The text, byte order mark removed.</param>
/// <param name="Encoding">What was detected: <c>utf-8</c>, <c>utf-8 (BOM)</c>, <c>utf-16le (BOM)</c>, <c>utf-16be</c>, <c>windows-1252</c> ...</param>
public sealed record DecodedText(string Text, string Encoding);

/// <summary>
/// Detects the encoding of a subtitle file: a byte order mark wins; without one, UTF-16 is recognised by its zero bytes
/// (subtitles are mostly ASCII-range letters, whose UTF-16 form has a zero in every other byte), then valid UTF-8 is
/// UTF-8, and anything else is a legacy 8-bit file read as Windows-1252 unless the caller names another code page.
/// </summary>
public static class SubtitleEncoding
{
    /// <summary>How much of the file the UTF-16 test looks at.</summary>
    private const int SniffBytes = 4096;

    /// <summary>
    /// The legacy 8-bit fallback. Windows-1252 rather than ISO-8859-1: it is the same for every printable Latin-1 letter,
    /// and where Latin-1 has unprintable C1 controls (0x80–0x9F) it has the curly quotes, dashes, ellipsis and euro sign
    /// that legacy subtitle editors on Western Windows wrote.
    /// </summary>
    public static Encoding Windows1252 { get; } = CodePagesEncodingProvider.Instance.GetEncoding(1252)
        ?? throw new InvalidOperationException("the Windows-1252 code page is not available");

    /// <summary>Decodes <paramref name="bytes"/>; <paramref name="legacy"/> replaces Windows-1252 for files that are not Unicode.</summary>
    public static DecodedText Decode(ReadOnlySpan<byte> bytes, Encoding? legacy = null)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            return new DecodedText(Encoding.UTF8.GetString(bytes[3..]), "utf-8 (BOM)");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
            return new DecodedText(Encoding.UTF32.GetString(bytes[4..]), "utf-32le (BOM)");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            return new DecodedText(Encoding.Unicode.GetString(bytes[2..]), "utf-16le (BOM)");
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return new DecodedText(Encoding.BigEndianUnicode.GetString(bytes[2..]), "utf-16be (BOM)");
        switch (ZeroBytePattern(bytes))
        {
            case ZeroBytes.OddPositions:
                return new DecodedText(Encoding.Unicode.GetString(bytes), "utf-16le");
            case ZeroBytes.EvenPositions:
                return new DecodedText(Encoding.BigEndianUnicode.GetString(bytes), "utf-16be");
        }
        if (Utf8.IsValid(bytes))
            return new DecodedText(Encoding.UTF8.GetString(bytes), "utf-8");
        var fallback = legacy ?? Windows1252;
        return new DecodedText(fallback.GetString(bytes), fallback.WebName);
    }

    private enum ZeroBytes { None, OddPositions, EvenPositions }

    /// <summary>
    /// UTF-16 without a byte order mark: at least a quarter of the sampled code units have a zero high byte and hardly any a
    /// zero low byte (or the reverse). UTF-8 and 8-bit text have no zero bytes at all.
    /// </summary>
    private static ZeroBytes ZeroBytePattern(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes[..Math.Min(bytes.Length, SniffBytes)];
        var units = sample.Length / 2;
        if (units < 2)
            return ZeroBytes.None;
        int evenZeros = 0, oddZeros = 0;
        for (var i = 0; i + 1 < sample.Length; i += 2)
        {
            if (sample[i] == 0)
                evenZeros++;
            if (sample[i + 1] == 0)
                oddZeros++;
        }
        if (oddZeros * 4 >= units && evenZeros * 20 < units)
            return ZeroBytes.OddPositions;
        if (evenZeros * 4 >= units && oddZeros * 20 < units)
            return ZeroBytes.EvenPositions;
        return ZeroBytes.None;
    }
}
