using Vireo.Errors;

namespace Vireo.Media;

/// <summary>
/// Base of every error about a media input. It always names the file and, when FFmpeg said something,
/// carries FFmpeg's own words in <see cref="ToolMessage"/>.
/// </summary>
public class MediaException : VireoException
{
    public MediaException(string path, string message, string? toolMessage = null, Exception? inner = null)
        : this(ErrorKind.Input, path, message, toolMessage, inner)
    {
    }

    protected MediaException(ErrorKind kind, string path, string message, string? toolMessage = null, Exception? inner = null)
        : base(kind, Compose(path, message, toolMessage), path, message, inner)
    {
        MediaPath = path;
        ToolMessage = string.IsNullOrWhiteSpace(toolMessage) ? null : toolMessage.Trim();
    }

    /// <summary>The file the error is about.</summary>
    public string MediaPath { get; }

    /// <summary>FFmpeg's or ffprobe's message, when there was one.</summary>
    public string? ToolMessage { get; }

    private static string Compose(string path, string message, string? toolMessage) =>
        string.IsNullOrWhiteSpace(toolMessage)
            ? $"{path}: {message}"
            : $"{path}: {message} (FFmpeg: {toolMessage.Trim()})";
}

/// <summary>The file does not exist or cannot be opened.</summary>
public sealed class MediaFileNotFoundException(string path, string? toolMessage = null)
    : MediaException(ErrorKind.NotFound, path, "file not found or not readable", toolMessage);

/// <summary>The file is not a media file FFmpeg can read (e.g. a text file named .mp4).</summary>
public sealed class NotAVideoException(string path, string? toolMessage = null)
    : MediaException(path, "not a video file FFmpeg can read", toolMessage);

/// <summary>The file is a media file but has no video stream (audio only, or only a cover image).</summary>
public sealed class NoVideoStreamException(string path, string? toolMessage = null)
    : MediaException(path, "the file has no video stream", toolMessage);

/// <summary>The video stream uses a codec this FFmpeg build cannot decode.</summary>
public sealed class UnsupportedCodecException(string path, string codec, string? toolMessage = null)
    : MediaException(path, $"video codec '{codec}' cannot be decoded by this FFmpeg build", toolMessage)
{
    public string Codec { get; } = codec;
}

/// <summary>The video has no duration: no frame to sample.</summary>
public sealed class ZeroDurationException(string path)
    : MediaException(path, "the video has zero duration");

/// <summary>The video's frames are larger than the configured limit.</summary>
public sealed class VideoTooLargeException(string path, int width, int height, int maxSide)
    : MediaException(path, $"frame size {width}x{height} exceeds the limit of {maxSide} pixels per side")
{
    public int Width { get; } = width;
    public int Height { get; } = height;
}

/// <summary>
/// The file is truncated or damaged. When thrown while sampling, every frame decoded before the damage
/// was already delivered; <see cref="FramesDelivered"/> and <see cref="LastGoodTimestamp"/> say how far it got.
/// </summary>
public sealed class CorruptMediaException(
    string path, string message, string? toolMessage, int framesDelivered = 0, double? lastGoodTimestamp = null)
    : MediaException(path, message, toolMessage)
{
    public int FramesDelivered { get; } = framesDelivered;
    public double? LastGoodTimestamp { get; } = lastGoodTimestamp;

    /// <summary>
    /// Where FFmpeg reported each decoding error (at most one entry per delivered frame): the presentation time of
    /// the last frame delivered before it, or 0 before the first. An error FFmpeg concealed leaves the frames after
    /// it usable; a caller may keep them and mark only the stretch after each of these times as damaged.
    /// </summary>
    public IReadOnlyList<double> ErrorTimes { get; init; } = [];
}

/// <summary>FFmpeg made no progress for longer than the stall timeout and was killed.</summary>
public sealed class MediaTimeoutException(string path, TimeSpan timeout)
    : MediaException(path, $"FFmpeg made no progress for {timeout.TotalSeconds:0.#} s and was stopped");

/// <summary>The ffmpeg or ffprobe executable could not be found or started.</summary>
public sealed class FFmpegNotFoundException(string executable, string hint)
    : VireoException(ErrorKind.Dependency, $"'{executable}' was not found. {hint}", executable)
{
    public string Executable { get; } = executable;
}

/// <summary>
/// FFmpeg or ffprobe ran but failed before it read the file (a broken installation, missing shared libraries, a wrong
/// VIREO_FFMPEG): the machine's fault, not the video's, so a <see cref="ErrorKind.Dependency"/>.
/// </summary>
public sealed class FFmpegFailedException(string executable, string path, int exitCode, string? toolMessage)
    : VireoException(ErrorKind.Dependency,
        $"FFmpeg ('{executable}') exited with code {exitCode} before reading {path}" +
        (string.IsNullOrWhiteSpace(toolMessage) ? "" : $": {toolMessage.Trim()}") +
        ". The installation is broken or VIREO_FFMPEG / VIREO_FFPROBE name the wrong program. " + FFmpegTools.InstallHint,
        executable, $"FFmpeg exited with code {exitCode} before reading the video (broken installation)")
{
    public string Executable { get; } = executable;
}

/// <summary>A requested [start, end] span of a video is empty or reaches outside the video (<see cref="Duration"/> NaN: found empty before the video was read).</summary>
public sealed class SpanOutOfRangeException(string path, double start, double end, double duration)
    : MediaException(ErrorKind.Usage, path, double.IsFinite(duration)
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the span [{start:0.###}, {end:0.###}] s is not inside the video (duration {duration:0.###} s)")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the span [{start:0.###}, {end:0.###}] s is empty: the start must be at least 0 and before the end"))
{
    public double Start { get; } = start;
    public double End { get; } = end;
    public double Duration { get; } = duration;
}
