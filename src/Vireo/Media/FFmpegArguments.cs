using System.Globalization;

namespace Vireo.Media;

/// <summary>Builds FFmpeg command lines. Arguments are passed as a list, never through a shell.</summary>
internal static class FFmpegArguments
{
    /// <summary>
    /// The "file:" protocol makes FFmpeg read names such as "-x.mp4" or "a:b.mp4" as plain files.
    /// </summary>
    public static string InputUrl(string fullPath) => "file:" + fullPath;

    /// <summary>Where a decoder reads a relayed stream (<see cref="Relay.PacketRelay"/>): its standard input.</summary>
    public const string RelayedInputUrl = "pipe:0";

    /// <summary>
    /// The arguments that decode one segment to packed RGB24 on standard output; <paramref name="relayed"/>: the video
    /// stream comes from a <see cref="Relay.PacketRelay"/> on standard input.
    /// </summary>
    public static List<string> Decode(
        string fullPath, VideoStreamInfo video, DecodeSegment segment, int width, int height, FrameSamplerOptions options, bool relayed = false)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "level+info", "-noautorotate" };
        if (options.Threads > 0)
            args.AddRange(["-threads", Invariant(options.Threads)]);
        if (segment.SkipNonReference)
            args.AddRange(["-skip_frame", "noref"]);
        if (options.SkipLoopFilter)
            args.AddRange(["-skip_loop_filter", "all"]);
        if (segment.SeekMicroseconds > 0)
            args.AddRange(["-ss", Microseconds(segment.SeekMicroseconds)]);
        if (segment.ReadDuration is { } duration)
            args.AddRange(["-t", Invariant(duration)]);
        // A relayed stream arrives as NUT on standard input, its one stream with the timestamps already offset.
        args.AddRange(relayed ? ["-copyts", "-f", "nut", "-i", RelayedInputUrl] : ["-i", InputUrl(fullPath)]);
        args.AddRange(["-map", "0:" + Invariant(relayed ? 0 : video.Index), "-an", "-sn", "-dn"]);
        args.AddRange(["-vf", FilterGraph(video, segment.SelectExpression, width, height, options.ScaleAlgorithm)]);
        args.AddRange(["-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]);
        return args;
    }

    /// <summary>
    /// Select first (so unwanted frames are never scaled), then scale to the output size in the stored
    /// orientation, then rotate: cheaper than FFmpeg's autorotation, which turns every decoded frame.
    /// </summary>
    internal static string FilterGraph(VideoStreamInfo video, string selectExpression, int width, int height, string scaleAlgorithm)
    {
        var quarterTurn = video.Rotation is 90 or 270;
        var (scaleWidth, scaleHeight) = quarterTurn ? (height, width) : (width, height);
        var rotate = video.Rotation switch
        {
            90 => ",transpose=clock",
            180 => ",hflip,vflip",
            270 => ",transpose=cclock",
            _ => "",
        };
        return $"select='{selectExpression}',scale={scaleWidth}:{scaleHeight}:flags={scaleAlgorithm}{rotate},setsar=1,format=rgb24,showinfo";
    }

    /// <summary>Seconds with exactly the microseconds FFmpeg will parse back (it keeps seek points in microseconds).</summary>
    public static string Microseconds(long microseconds) =>
        (microseconds / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." + (microseconds % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    public static string Invariant(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
