namespace Vireo.Media.PerClip;

/// <summary>
/// How Lighthouse's CLIP frame loader (and moment_detr's <c>run_on_video</c> before it) turns a video into one
/// square frame per clip, as FFmpeg filters: <c>fps</c> at one frame per clip, <c>scale</c> to
/// <see cref="ScaleWidth"/> x <see cref="ScaleHeight"/> (the shorter side to <see cref="Size"/>, the longer truncated
/// to an integer), <c>crop</c> of <see cref="Size"/> x <see cref="Size"/> at (<see cref="CropX"/>, <see cref="CropY"/>),
/// truncated offsets. The sizes come from the coded frame size, before rotation and sample aspect ratio, as the
/// official code reads them from ffprobe.
/// </summary>
/// <param name="Rate">Frames per second given to the fps filter.</param>
/// <param name="ScaleWidth">Width after scaling.</param>
/// <param name="ScaleHeight">Height after scaling.</param>
/// <param name="CropX">Left edge of the crop.</param>
/// <param name="CropY">Top edge of the crop.</param>
/// <param name="Size">Side of the square frames delivered.</param>
public sealed record LighthouseFramePlan(FrameRate Rate, int ScaleWidth, int ScaleHeight, int CropX, int CropY, int Size)
{
    /// <summary>Lighthouse's clip length for QVHighlights-style models, in seconds.</summary>
    public const double DefaultClipLength = 2.0;

    /// <summary>CLIP ViT-B/32's input side.</summary>
    public const int DefaultSize = 224;

    /// <summary>The plan for <paramref name="info"/>'s primary video stream.</summary>
    /// <param name="info">The probed video.</param>
    /// <param name="clipLength">Seconds per clip: one frame is taken per clip.</param>
    /// <param name="size">The side of the square frames (the model's input size).</param>
    public static LighthouseFramePlan For(MediaInfo info, double clipLength = DefaultClipLength, int size = DefaultSize)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        MediaProbe.EnsureSampleable(info);
        var video = info.PrimaryVideo!;
        var duration = video.Duration is > 0 ? video.Duration.Value : info.Duration;
        return For(video.Width, video.Height, duration, clipLength, size);
    }

    /// <summary>The plan for a coded frame size and a stream duration.</summary>
    public static LighthouseFramePlan For(int width, int height, double duration, double clipLength = DefaultClipLength, int size = DefaultSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var rate = FrameRate.OneEvery(clipLength);
        // The official loader's special case: a video shorter than one clip (plus 0.1 s) is sampled at
        // 2 / whole seconds frames per second, so it still yields a couple of frames.
        if (duration > 0 && duration < clipLength + 0.1)
            rate = new FrameRate(2, Math.Max((long)Math.Floor(duration), 1));
        var (scaleWidth, scaleHeight) = height >= width
            ? (size, (int)((double)height * size / width))
            : ((int)((double)width * size / height), size);
        return new LighthouseFramePlan(rate, scaleWidth, scaleHeight, (int)((scaleWidth - size) / 2.0), (int)((scaleHeight - size) / 2.0), size);
    }

    /// <summary>The filters between decoding and the RGB24 output, as FFmpeg's <c>-vf</c> takes them.</summary>
    internal string Filters => FormattableString.Invariant($"fps=fps={Rate},scale={ScaleWidth}:{ScaleHeight},crop={Size}:{Size}:{CropX}:{CropY}");
}
