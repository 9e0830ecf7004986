using System.Buffers;
using Vireo.Media;

namespace Vireo.Imaging;

/// <summary>
/// Decodes still images (PNG, JPEG, WebP, BMP, ... anything FFmpeg reads) to packed RGB24 at their own
/// size. Alpha is dropped, as PIL's <c>convert("RGB")</c> does.
/// </summary>
public static class ImageDecoder
{
    public static async Task<VideoFrame> ReadRgb24Async(string path, FFmpegTools? tools = null, CancellationToken cancellationToken = default)
    {
        tools ??= FFmpegTools.Default;
        var info = await MediaProbe.ProbeAsync(path, tools, cancellationToken).ConfigureAwait(false);
        var stream = info.PrimaryVideo ?? throw new NotAVideoException(path, "no image stream");
        var (width, height) = (stream.Width, stream.Height);
        if (width <= 0 || height <= 0)
            throw new CorruptMediaException(path, "the image has no size", null);
        if (width > FrameSamplerOptions.DefaultMaxSide || height > FrameSamplerOptions.DefaultMaxSide)
            throw new VideoTooLargeException(path, width, height, FrameSamplerOptions.DefaultMaxSide);

        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "level+error", "-noautorotate",
            "-i", FFmpegArguments.InputUrl(Path.GetFullPath(path)),
            "-map", "0:" + FFmpegArguments.Invariant(stream.Index), "-frames:v", "1",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
        ];
        var bytes = checked(width * height * 3);
        var buffer = ArrayPool<byte>.Shared.Rent(bytes);
        await using var process = ToolProcess.Start(tools.FFmpegPath, arguments, null, TimeSpan.FromSeconds(60), cancellationToken);
        var read = await process.StandardOutput.ReadAtLeastAsync(buffer.AsMemory(0, bytes), bytes, throwOnEndOfStream: false, CancellationToken.None).ConfigureAwait(false);
        var exitCode = await process.WaitForExitAsync().ConfigureAwait(false);
        process.ThrowIfStopped(path);
        if (read < bytes || exitCode != 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new CorruptMediaException(path, "the image could not be decoded", process.Log.Summary());
        }
        return new VideoFrame(buffer, width, height, 0, 0, 0);
    }
}
