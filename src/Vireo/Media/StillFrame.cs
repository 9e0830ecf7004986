using System.Globalization;

namespace Vireo.Media;

/// <summary>One frame of a video as a JPEG image (a thumbnail), made by FFmpeg.</summary>
public static class StillFrame
{
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Largest JPEG accepted from FFmpeg; a thumbnail is far smaller.</summary>
    private const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>
    /// The frame shown at <paramref name="seconds"/> (callers keep it inside the video's duration), scaled to
    /// <paramref name="width"/> pixels wide (height keeps the aspect ratio), rotation applied, as JPEG bytes.
    /// </summary>
    /// <exception cref="MediaException">The file is missing, unreadable or has no frame there.</exception>
    public static async Task<byte[]> JpegAsync(string path, double seconds, int width, FFmpegTools? tools = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        tools ??= FFmpegTools.Default;
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new MediaFileNotFoundException(path);

        // Seeking before -i is fast: FFmpeg jumps to the keyframe before the time and decodes up to it.
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "level+error",
            "-ss", Math.Max(0, seconds).ToString("0.###", CultureInfo.InvariantCulture),
            "-i", FFmpegArguments.InputUrl(fullPath),
            "-map", "0:v:0", "-an", "-sn", "-dn", "-frames:v", "1",
            "-vf", "scale=" + FFmpegArguments.Invariant(width) + ":-2",
            "-f", "mjpeg", "-q:v", "4", "pipe:1",
        ];
        await using var process = ToolProcess.Start(tools.FFmpegPath, arguments, null, StallTimeout, cancellationToken);
        using var image = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await process.StandardOutput.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
        {
            process.Touch();
            if (image.Length + read > MaxBytes)
                throw new MediaException(path, "the thumbnail FFmpeg produced is too large");
            image.Write(buffer, 0, read);
        }
        var exitCode = await process.WaitForExitAsync().ConfigureAwait(false);
        process.ThrowIfStopped(path);
        if (exitCode != 0 || image.Length == 0)
            throw new CorruptMediaException(path, $"no frame could be decoded at {seconds:0.###} s", process.Log.Summary());
        return image.ToArray();
    }
}
