using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vireo.Media.Relay;

/// <summary>
/// The few entry points of FFmpeg's libavformat / libavcodec / libavutil that <see cref="PacketRelay"/> needs (demuxing
/// and muxing only: no decoder runs in this process), bound to the major versions of FFmpeg 5.1 (Debian 12's: lavf 59,
/// lavc 59, lavu 57). The field offsets below are those versions' struct layouts; <see cref="Available"/> is false on
/// any other FFmpeg, and sampling then decodes every frame as before.
/// </summary>
internal static unsafe partial class LibAv
{
    private const string Format = "libavformat.so.59";
    private const string Codec = "libavcodec.so.59";
    private const string Util = "libavutil.so.57";

    public const int H264 = 27;
    public const int Hevc = 173;
    public const int ErrorEof = -541478725; // AVERROR_EOF
    public const int ErrorIo = -5; // AVERROR(EIO)
    public const long NoTimestamp = long.MinValue; // AV_NOPTS_VALUE

    // AVFormatContext
    public const int FormatPb = 32;
    public const int FormatStreamCount = 44;
    public const int FormatStreams = 48;
    public const int FormatStartTime = 64;

    // AVStream
    public const int StreamTimeBase = 16;
    public const int StreamCodecParameters = 208;

    // AVCodecParameters
    public const int ParametersCodecId = 4;
    public const int ParametersCodecTag = 8;
    public const int ParametersExtradata = 16;
    public const int ParametersExtradataSize = 24;
    public const int ParametersWidth = 56;
    public const int ParametersHeight = 60;

    // AVPacket
    public const int PacketPts = 8;
    public const int PacketDts = 16;
    public const int PacketData = 24;
    public const int PacketSize = 32;
    public const int PacketStreamIndex = 36;

    // AVIOContext
    public const int IoBuffer = 8;

    private const int LogError = 16; // AV_LOG_ERROR

    // The libraries' log would go to the process's standard error, and belongs to no file (several relays may run at
    // once): instead each error is counted, with its words, on the thread that logged it (a relay reads on its own).
    private static readonly Lazy<bool> Loaded = new(() =>
    {
        if (!OperatingSystem.IsLinux() || !new[] { Format, Codec, Util }.All(name => NativeLibrary.TryLoad(name, typeof(LibAv).Assembly, null, out _)))
            return false;
        av_log_set_callback(&CountError);
        return true;
    });

    [ThreadStatic]
    private static int t_errors;

    [ThreadStatic]
    private static string? t_firstError;

    /// <summary>The count of errors the libraries logged on this thread so far, and the words of the first since the last call.</summary>
    public static (int Count, string? First) TakeThreadErrors()
    {
        var first = t_firstError;
        t_firstError = null;
        return (t_errors, first);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void CountError(nint context, int level, byte* format, nint arguments)
    {
        if ((level & 0xff) > LogError) // the bits above are AV_LOG_C colours
            return;
        t_errors++;
        if (t_firstError is not null)
            return;
        try
        {
            var line = stackalloc byte[256];
            var prefix = 0;
            if (av_log_format_line2(context, level, format, arguments, line, 256, &prefix) >= 0)
                t_firstError = Marshal.PtrToStringUTF8((nint)line)?.Trim();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An exception must not leave a native callback (it would end the process); the count stays.
        }
    }

    /// <summary>True when FFmpeg 5.1's libraries are on this machine (the relay's layouts are theirs).</summary>
    public static bool Available => Loaded.Value;

    [LibraryImport(Format, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int avformat_open_input(nint* context, string url, nint format, nint options);

    [LibraryImport(Format)]
    public static partial void avformat_close_input(nint* context);

    [LibraryImport(Format)]
    public static partial int avformat_find_stream_info(nint context, nint options);

    [LibraryImport(Format)]
    public static partial int av_read_frame(nint context, nint packet);

    [LibraryImport(Format, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int avformat_alloc_output_context2(nint* context, nint format, string formatName, nint fileName);

    [LibraryImport(Format)]
    public static partial nint avformat_new_stream(nint context, nint codec);

    [LibraryImport(Format)]
    public static partial int avformat_write_header(nint context, nint options);

    [LibraryImport(Format)]
    public static partial int av_write_frame(nint context, nint packet);

    [LibraryImport(Format)]
    public static partial int av_write_trailer(nint context);

    [LibraryImport(Format)]
    public static partial void avformat_free_context(nint context);

    [LibraryImport(Format)]
    public static partial nint avio_alloc_context(nint buffer, int size, int writeFlag, nint opaque, nint read,
        delegate* unmanaged[Cdecl]<nint, byte*, int, int> write, nint seek);

    [LibraryImport(Format)]
    public static partial void avio_context_free(nint* context);

    [LibraryImport(Codec)]
    public static partial nint av_packet_alloc();

    [LibraryImport(Codec)]
    public static partial void av_packet_free(nint* packet);

    [LibraryImport(Codec)]
    public static partial void av_packet_unref(nint packet);

    [LibraryImport(Codec)]
    public static partial void av_packet_move_ref(nint destination, nint source);

    [LibraryImport(Codec)]
    public static partial int avcodec_parameters_copy(nint destination, nint source);

    [LibraryImport(Codec)]
    public static partial void av_packet_rescale_ts(nint packet, Rational from, Rational to);

    [LibraryImport(Util)]
    public static partial nint av_malloc(nuint size);

    [LibraryImport(Util)]
    public static partial void av_free(nint pointer);

    [LibraryImport(Util, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int av_opt_set(nint target, string name, string value, int flags);

    [LibraryImport(Util)]
    private static partial void av_log_set_callback(delegate* unmanaged[Cdecl]<nint, int, byte*, nint, void> callback);

    [LibraryImport(Util)]
    private static partial int av_log_format_line2(nint context, int level, byte* format, nint arguments, byte* line, int size, int* printPrefix);

    [LibraryImport(Util)]
    public static partial int av_strerror(int error, byte* buffer, nuint size);

    /// <summary>AVRational.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public readonly record struct Rational(int Numerator, int Denominator);

    public static T Read<T>(nint structure, int offset) where T : unmanaged => *(T*)(structure + offset);

    public static void Write<T>(nint structure, int offset, T value) where T : unmanaged => *(T*)(structure + offset) = value;

    /// <summary>FFmpeg's message for an error code.</summary>
    public static string Message(int error)
    {
        var buffer = stackalloc byte[128];
        return av_strerror(error, buffer, 128) == 0 ? Marshal.PtrToStringUTF8((nint)buffer) ?? $"error {error}" : $"error {error}";
    }
}
