namespace Vireo.Media;

/// <summary>Reads a media file's streams and duration with ffprobe.</summary>
public static class MediaProbe
{
    private static readonly TimeSpan ProbeStallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Probes any media file. Throws <see cref="MediaException"/> subclasses for missing or unreadable files.</summary>
    public static async Task<MediaInfo> ProbeAsync(string path, FFmpegTools? tools = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        tools ??= FFmpegTools.Default;
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new MediaFileNotFoundException(path);

        string[] arguments =
        [
            "-hide_banner", "-loglevel", "level+error",
            "-print_format", "json", "-show_format", "-show_streams",
            FFmpegArguments.InputUrl(fullPath),
        ];
        await using var process = ToolProcess.Start(tools.FFprobePath, arguments, null, ProbeStallTimeout, cancellationToken);
        using var reader = new StreamReader(process.StandardOutput);
        var json = await reader.ReadToEndAsync(CancellationToken.None).ConfigureAwait(false);
        var exitCode = await process.WaitForExitAsync().ConfigureAwait(false);
        process.ThrowIfStopped(path);

        if (exitCode != 0)
            throw ProbeFailure(path, fullPath, process.Log, tools.FFprobePath, exitCode);
        MediaInfo info;
        try
        {
            info = FfprobeOutput.Parse(path, json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new NotAVideoException(path, "ffprobe printed unreadable output: " + e.Message);
        }
        if (info.Container.Length == 0)
            throw new NotAVideoException(path, process.Log.Summary());
        return info;
    }

    /// <summary>
    /// Probes a file that must be a video Vireo can sample: it has a decodable video stream, a duration and
    /// frames no larger than <paramref name="maxSide"/> pixels per side.
    /// </summary>
    public static async Task<MediaInfo> ProbeVideoAsync(
        string path, int maxSide = FrameSamplerOptions.DefaultMaxSide, FFmpegTools? tools = null, CancellationToken cancellationToken = default)
    {
        var info = await ProbeAsync(path, tools, cancellationToken).ConfigureAwait(false);
        EnsureSampleable(info, maxSide);
        return info;
    }

    /// <summary>Throws the typed error that says why <paramref name="info"/> cannot be sampled.</summary>
    public static void EnsureSampleable(MediaInfo info, int maxSide = FrameSamplerOptions.DefaultMaxSide)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (IsStillImage(info))
            throw new NotAVideoException(info.Path, $"a still image ({info.Container}), not a video");
        if (!(info.Duration > 0))
            throw new ZeroDurationException(info.Path);
        var video = info.PrimaryVideo ?? throw new NoVideoStreamException(info.Path);
        if (string.IsNullOrEmpty(video.Codec) || video.Codec == "none")
            throw new UnsupportedCodecException(info.Path, string.IsNullOrEmpty(video.CodecTag) ? "unknown" : video.CodecTag,
                "ffprobe does not recognise the codec of stream #" + video.Index);
        if (video.Width <= 0 || video.Height <= 0)
            throw new CorruptMediaException(info.Path, "the video stream has no frame size", null);
        if (video.Width > maxSide || video.Height > maxSide)
            throw new VideoTooLargeException(info.Path, video.Width, video.Height, maxSide);
    }

    /// <summary>FFmpeg reads single images through its image2 and *_pipe demuxers.</summary>
    private static bool IsStillImage(MediaInfo info) =>
        info.Container == "image2" || info.Container.EndsWith("_pipe", StringComparison.Ordinal);

    private static Errors.VireoException ProbeFailure(string path, string fullPath, ToolLog log, string ffprobe, int exitCode)
    {
        var message = log.Summary();
        if (new FileInfo(fullPath).Length == 0)
            return new NotAVideoException(path, "the file is empty");
        if (log.Contains("Permission denied"))
            return new MediaFileNotFoundException(path, message);
        if (!log.Contains(ToolLog.AsLogged(Path.GetFileName(fullPath))))
            return new FFmpegFailedException(ffprobe, path, exitCode, message); // it never got to the file
        if (ContainerSniffer.LooksLikeMedia(fullPath))
            return new CorruptMediaException(path, "the file is truncated or damaged and cannot be opened", message);
        return new NotAVideoException(path, message);
    }
}
