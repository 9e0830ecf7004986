namespace Vireo.Media;

/// <summary>
/// Where the ffmpeg and ffprobe executables are. By default they are looked up on PATH; the environment
/// variables VIREO_FFMPEG and VIREO_FFPROBE override that with full paths.
/// </summary>
public sealed record FFmpegTools(string FFmpegPath, string FFprobePath)
{
    internal const string InstallHint =
        "Install FFmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg; " +
        "Windows: winget install ffmpeg) or set VIREO_FFMPEG and VIREO_FFPROBE to the executables.";

    private static readonly Lazy<FFmpegTools> LazyDefault = new(Locate);

    /// <summary>The tools found on PATH or named by the environment, resolved once per process.</summary>
    public static FFmpegTools Default => LazyDefault.Value;

    /// <summary>Looks the tools up now.</summary>
    public static FFmpegTools Locate() => new(
        Resolve("VIREO_FFMPEG", "ffmpeg"),
        Resolve("VIREO_FFPROBE", "ffprobe"));

    /// <summary>Throws <see cref="FFmpegNotFoundException"/> unless both executables exist.</summary>
    public void EnsureAvailable()
    {
        foreach (var exe in new[] { FFmpegPath, FFprobePath })
        {
            if (!File.Exists(exe))
                throw new FFmpegNotFoundException(Path.GetFileName(exe), InstallHint);
        }
    }

    /// <summary>The executable named by <paramref name="variable"/>, else <paramref name="name"/> found on PATH, else the bare name (starting it then fails).</summary>
    internal static string Resolve(string variable, string name)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return fromEnvironment;
        var fileName = OperatingSystem.IsWindows() ? name + ".exe" : name;
        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, fileName);
            if (File.Exists(candidate))
                return candidate;
        }
        return fileName;
    }
}
