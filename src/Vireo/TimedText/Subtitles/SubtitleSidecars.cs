namespace Vireo.TimedText.Subtitles;

/// <summary>A subtitle file beside a video.</summary>
/// <param name="Path">The file.</param>
/// <param name="Format">Its format, from the extension.</param>
/// <param name="Language">The language tag in its name (<c>talk.pt-BR.vtt</c> → <c>pt-BR</c>), else null.</param>
/// <param name="Flags">Other markers in its name that players know: <c>forced</c>, <c>sdh</c>, <c>cc</c>, <c>default</c>.</param>
public sealed record SubtitleSidecar(string Path, SubtitleFormat Format, string? Language, IReadOnlyList<string> Flags);

/// <summary>
/// Finds the subtitle files that belong to a video, as players do: in its folder, named after it
/// (<c>talk.srt</c>, <c>talk.en.srt</c>, <c>talk.eng.forced.srt</c>, <c>talk.pt-BR.vtt</c>, <c>talk.mp4.srt</c> for <c>talk.mp4</c>), with a
/// subtitle extension in any case. The base name must match exactly (ignoring case where the file system does), so
/// <c>talk2.srt</c> or <c>talks.en.srt</c> are not <c>talk.mp4</c>'s.
/// </summary>
public static class SubtitleSidecars
{
    /// <summary>Markers that are not languages. Not "hi": it is Hindi as often as "hearing impaired".</summary>
    private static readonly string[] KnownFlags = ["forced", "sdh", "cc", "default"];

    private static StringComparison NameComparison =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The sidecars of <paramref name="videoPath"/>, sorted by file name; none when its folder cannot be listed.</summary>
    public static IReadOnlyList<SubtitleSidecar> Find(string videoPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(videoPath);
        var fullPath = System.IO.Path.GetFullPath(videoPath);
        var folder = System.IO.Path.GetDirectoryName(fullPath);
        if (folder is null || !Directory.Exists(folder))
            return [];
        var videoName = System.IO.Path.GetFileName(fullPath);
        var found = new List<SubtitleSidecar>();
        IEnumerable<string> files;
        try
        {
            files = Directory.EnumerateFiles(folder).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        foreach (var file in files)
        {
            if (Match(videoName, System.IO.Path.GetFileName(file)) is { } sidecar)
                found.Add(sidecar with { Path = file });
        }
        found.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return found;
    }

    /// <summary>The sidecar <paramref name="candidateName"/> is for <paramref name="videoName"/> (file names), or null.</summary>
    public static SubtitleSidecar? Match(string videoName, string candidateName)
    {
        ArgumentNullException.ThrowIfNull(videoName);
        ArgumentNullException.ThrowIfNull(candidateName);
        if (SubtitleFile.FormatOf(candidateName) is not { } format || candidateName.Equals(videoName, NameComparison))
            return null;
        var baseName = System.IO.Path.GetFileNameWithoutExtension(videoName);
        var withoutExtension = System.IO.Path.GetFileNameWithoutExtension(candidateName);
        if (!withoutExtension.StartsWith(baseName, NameComparison))
            return null;
        var markers = withoutExtension.AsSpan(baseName.Length);
        if (!markers.IsEmpty && markers[0] != '.')
            return null;

        string? language = null;
        var flags = new List<string>();
        var videoExtension = System.IO.Path.GetExtension(videoName.AsSpan()).TrimStart('.');
        foreach (var range in markers.Split('.'))
        {
            var marker = markers[range];
            if (marker.IsEmpty || marker.Equals(videoExtension, StringComparison.OrdinalIgnoreCase)) // talk.mp4.srt
                continue;
            if (KnownFlag(marker) is { } flag)
                flags.Add(flag);
            else if (language is null && IsLanguageTag(marker))
                language = marker.ToString();
        }
        return new SubtitleSidecar(candidateName, format, language, flags);
    }

    private static string? KnownFlag(ReadOnlySpan<char> marker)
    {
        foreach (var flag in KnownFlags)
        {
            if (marker.Equals(flag, StringComparison.OrdinalIgnoreCase))
                return flag;
        }
        return null;
    }

    /// <summary>
    /// A BCP-47 tag of the shapes file names use: a 2- or 3-letter language (<c>en</c>, <c>eng</c>), optionally with a script
    /// (<c>zh-Hans</c>), a region (<c>pt-BR</c>, <c>es-419</c>) or both (<c>zh-Hant-TW</c>), '-' or '_' between them.
    /// </summary>
    internal static bool IsLanguageTag(ReadOnlySpan<char> text)
    {
        Span<Range> parts = stackalloc Range[4];
        var count = text.SplitAny(parts, "-_");
        if (count > 3 || !IsLetters(text[parts[0]], 2, 3))
            return false;
        return count switch
        {
            1 => true,
            2 => IsScript(text[parts[1]]) || IsRegion(text[parts[1]]),
            _ => IsScript(text[parts[1]]) && IsRegion(text[parts[2]]),
        };
    }

    private static bool IsScript(ReadOnlySpan<char> text) => IsLetters(text, 4, 4);

    private static bool IsRegion(ReadOnlySpan<char> text) =>
        IsLetters(text, 2, 2) || text.Length == 3 && !text.ContainsAnyExceptInRange('0', '9');

    private static bool IsLetters(ReadOnlySpan<char> text, int min, int max)
    {
        if (text.Length < min || text.Length > max)
            return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiLetter(c))
                return false;
        }
        return true;
    }
}
