namespace Vireo.Media;

/// <summary>What ffprobe found in a media file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Container">FFmpeg's demuxer names, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm".</param>
/// <param name="Duration">Duration in seconds (the container's, else the longest stream's); 0 when unknown.</param>
/// <param name="StartTime">The container's first timestamp in seconds (non-zero in MPEG-TS); frame times are measured from it.</param>
/// <param name="SizeBytes">File size in bytes.</param>
/// <param name="BitRate">Overall bit rate in bits per second, when known.</param>
/// <param name="VideoStreams">Video streams, cover images excluded.</param>
/// <param name="AudioStreams">Audio streams.</param>
/// <param name="SubtitleStreams">Subtitle streams.</param>
public sealed record MediaInfo(
    string Path,
    string Container,
    double Duration,
    double StartTime,
    long SizeBytes,
    long? BitRate,
    IReadOnlyList<VideoStreamInfo> VideoStreams,
    IReadOnlyList<AudioStreamInfo> AudioStreams,
    IReadOnlyList<SubtitleStreamInfo> SubtitleStreams)
{
    /// <summary>The stream Vireo samples: the default video stream, else the first; never a cover image.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public VideoStreamInfo? PrimaryVideo =>
        VideoStreams.FirstOrDefault(s => s.IsDefault) ?? (VideoStreams.Count > 0 ? VideoStreams[0] : null);
}

/// <param name="Index">The stream's index in the file.</param>
/// <param name="Codec">Codec name, e.g. "h264"; empty when FFmpeg does not know it.</param>
/// <param name="CodecTag">The container's codec tag (fourcc), e.g. "avc1".</param>
/// <param name="Width">Coded width in pixels, before rotation.</param>
/// <param name="Height">Coded height in pixels, before rotation.</param>
/// <param name="FrameRate">Average frame rate (frames per second); 0 when unknown.</param>
/// <param name="NominalFrameRate">The stream's base frame rate (r_frame_rate); differs from FrameRate for variable frame rate.</param>
/// <param name="Rotation">Clockwise rotation in degrees (0, 90, 180, 270) to apply for display.</param>
/// <param name="SampleAspectRatio">Pixel aspect ratio (1 for square pixels).</param>
/// <param name="PixelFormat">e.g. "yuv420p", "yuv420p10le".</param>
/// <param name="Duration">The stream's duration in seconds, when known.</param>
/// <param name="FrameCount">Number of frames from the container, when known.</param>
/// <param name="IsDefault">The stream is marked default.</param>
public sealed record VideoStreamInfo(
    int Index,
    string Codec,
    string CodecTag,
    int Width,
    int Height,
    double FrameRate,
    double NominalFrameRate,
    int Rotation,
    double SampleAspectRatio,
    string PixelFormat,
    double? Duration,
    long? FrameCount,
    bool IsDefault)
{
    /// <summary>Width as displayed: sample aspect ratio and rotation applied.</summary>
    public int DisplayWidth => Rotation is 90 or 270 ? SarHeight : SarWidth;

    /// <summary>Height as displayed: sample aspect ratio and rotation applied.</summary>
    public int DisplayHeight => Rotation is 90 or 270 ? SarWidth : SarHeight;

    /// <summary>True when the average and nominal frame rates differ (variable frame rate).</summary>
    public bool IsVariableFrameRate =>
        FrameRate > 0 && NominalFrameRate > 0 && Math.Abs(FrameRate - NominalFrameRate) > 0.01 * NominalFrameRate;

    private int SarWidth => SampleAspectRatio is > 0 and not 1
        ? Math.Max(1, (int)Math.Round(Width * SampleAspectRatio))
        : Width;

    private int SarHeight => Height;
}

/// <param name="Index">The stream's index in the file.</param>
/// <param name="Codec">Codec name, e.g. "aac".</param>
/// <param name="SampleRate">Samples per second.</param>
/// <param name="Channels">Number of channels.</param>
/// <param name="Language">Language tag, when present.</param>
public sealed record AudioStreamInfo(int Index, string Codec, int SampleRate, int Channels, string? Language);

/// <param name="Index">The stream's index in the file.</param>
/// <param name="Codec">Codec name, e.g. "mov_text", "subrip".</param>
/// <param name="Language">Language tag, when present.</param>
/// <param name="Title">The track's title tag (e.g. "English (SDH)", "Forced"), when present.</param>
public sealed record SubtitleStreamInfo(int Index, string Codec, string? Language, string? Title = null);
