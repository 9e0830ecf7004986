using System.Globalization;
using Vireo.Media;

namespace Vireo.Library;

/// <summary>
/// JPEG thumbnails of library videos at a time, made by FFmpeg once and kept on disk under the library folder
/// (<c>thumbnails/</c>), named by video id, content hash, time (rounded to a tenth of a second) and width, so a
/// changed file never shows a stale picture. At most one FFmpeg per core runs at a time.
/// </summary>
public sealed class ThumbnailCache(VideoLibrary library) : IDisposable
{
    public const int MinWidth = 32;
    public const int MaxWidth = 1280;

    private readonly string _folder = Path.Combine(library.Directory, "thumbnails");
    private readonly SemaphoreSlim _ffmpeg = new(Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>The thumbnail file of <paramref name="video"/> (at <paramref name="realPath"/>) at <paramref name="seconds"/>, made when missing.</summary>
    public async Task<string> GetAsync(LibraryVideo video, string realPath, double seconds, int width, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(video);
        // Inside the video: the last tenth of a second before the end always has a frame.
        var tenths = (long)Math.Round(Math.Clamp(seconds, 0, Math.Max(0, video.Duration - 0.1)) * 10);
        var name = string.Create(CultureInfo.InvariantCulture, $"{video.Id}-{Safe(video.ContentHash)}-{tenths}-{width}.jpg");
        var path = Path.Combine(_folder, name);
        if (File.Exists(path))
            return path;
        await _ffmpeg.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (File.Exists(path))
                return path;
            var jpeg = await StillFrame.JpegAsync(realPath, tenths / 10.0, width, cancellationToken: cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(_folder);
            var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
            await File.WriteAllBytesAsync(temporary, jpeg, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
            return path;
        }
        finally
        {
            _ffmpeg.Release();
        }
    }

    private static string Safe(string hash) => string.Concat(hash.Where(char.IsAsciiLetterOrDigit));

    public void Dispose() => _ffmpeg.Dispose();
}
