namespace Vireo.TimedText.Subtitles;

/// <summary>Splits subtitle text into lines whatever its line endings (CRLF, LF, a lone CR).</summary>
internal static class SubtitleLines
{
    public static string[] Split(string text) => text.ReplaceLineEndings("\n").Split('\n');
}
