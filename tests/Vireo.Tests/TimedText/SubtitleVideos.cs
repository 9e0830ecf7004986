using System.Buffers.Binary;
using System.Collections.Concurrent;
using Vireo.Tests.Support;

namespace Vireo.Tests.TimedText;

/// <summary>Videos with embedded subtitle tracks carrying <see cref="PlantedSubtitles"/>, made once per test run with FFmpeg.</summary>
public static class SubtitleVideos
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Made = new();

    /// <summary>MP4 with two mov_text tracks: English (eng) and French (fre, named "Français" in its handler name, where MP4 keeps track names).</summary>
    public static Task<string> MovText() => Make("subs-movtext.mp4", async path =>
    {
        var english = await WriteAsync(Input(path, ".en.srt"), PlantedSubtitles.Srt(PlantedSubtitles.English));
        var french = await WriteAsync(Input(path, ".fr.srt"), PlantedSubtitles.Srt(PlantedSubtitles.French));
        await FFmpegRunner.RunAsync(
            "-f", "lavfi", "-i", "color=c=gray:s=160x120:r=25:d=4", "-i", english, "-i", french,
            "-map", "0", "-map", "1", "-map", "2", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:s", "mov_text",
            "-metadata:s:s:0", "language=eng", "-metadata:s:s:1", "language=fre", "-metadata:s:s:1", "handler_name=Français", path);
    });

    /// <summary>
    /// Matroska with SubRip (eng, titled "English SDH"), ASS with overrides and drawings (fre), WebVTT (ger) and a PGS bitmap
    /// track (spa).
    /// </summary>
    public static Task<string> MultiTrack() => Make("subs-multi.mkv", async path =>
    {
        var english = await WriteAsync(Input(path, ".srt"), PlantedSubtitles.Srt(PlantedSubtitles.English));
        var french = await WriteAsync(Input(path, ".ass"), PlantedSubtitles.Ass(PlantedSubtitles.French));
        var german = await WriteAsync(Input(path, ".vtt"), PlantedSubtitles.Vtt(PlantedSubtitles.German));
        var bitmap = Input(path, ".sup");
        await File.WriteAllBytesAsync(bitmap, PgsDisplaySets(1.0, 2.0));
        await FFmpegRunner.RunAsync(
            "-f", "lavfi", "-i", "color=c=gray:s=160x120:r=25:d=4", "-i", english, "-i", french, "-i", german, "-i", bitmap,
            "-map", "0", "-map", "1", "-map", "2", "-map", "3", "-map", "4",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-c:s:0", "srt", "-c:s:1", "ass", "-c:s:2", "webvtt", "-c:s:3", "copy",
            "-metadata:s:s:0", "language=eng", "-metadata:s:s:0", "title=English SDH", "-metadata:s:s:1", "language=fre",
            "-metadata:s:s:2", "language=ger", "-metadata:s:s:3", "language=spa", path);
    });

    /// <summary>A video without subtitles to put sidecar files beside (copied into the test's folder).</summary>
    public static Task<string> Plain() => Make("subs-plain.mp4", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "color=c=gray:s=160x120:r=25:d=4", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", path));

    /// <summary>
    /// A PGS (.sup) stream FFmpeg can mux but not make from text (its bitmap encoders take only bitmaps): one display set
    /// showing at <paramref name="show"/> and one clearing at <paramref name="clear"/>, each a presentation composition
    /// segment and an end segment. No picture is needed: the channel must skip the track without decoding it.
    /// </summary>
    private static byte[] PgsDisplaySets(double show, double clear)
    {
        var output = new List<byte>();
        foreach (var (time, state, number) in new[] { (show, (byte)0x80, (ushort)0), (clear, (byte)0x00, (ushort)1) })
        {
            var composition = new byte[11];
            BinaryPrimitives.WriteUInt16BigEndian(composition, 160);
            BinaryPrimitives.WriteUInt16BigEndian(composition.AsSpan(2), 120);
            composition[4] = 0x10; // 23.976 fps
            BinaryPrimitives.WriteUInt16BigEndian(composition.AsSpan(5), number);
            composition[7] = state;
            output.AddRange(Segment(time, 0x16, composition));
            output.AddRange(Segment(time, 0x80, []));
        }
        return [.. output];
    }

    private static byte[] Segment(double time, byte type, byte[] payload)
    {
        var segment = new byte[13 + payload.Length];
        segment[0] = (byte)'P';
        segment[1] = (byte)'G';
        BinaryPrimitives.WriteUInt32BigEndian(segment.AsSpan(2), (uint)Math.Round(time * 90_000));
        segment[10] = type;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(11), (ushort)payload.Length);
        payload.CopyTo(segment, 13);
        return segment;
    }

    /// <summary>An input file for FFmpeg, named unlike the video so it is no sidecar of it.</summary>
    private static string Input(string videoPath, string extension) =>
        Path.Combine(Path.GetDirectoryName(videoPath)!, "planted-" + Path.GetFileNameWithoutExtension(videoPath) + "-input" + extension);

    private static async Task<string> WriteAsync(string path, string text)
    {
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private static Task<string> Make(string name, Func<string, Task> create) =>
        Made.GetOrAdd(name, key => new Lazy<Task<string>>(async () =>
        {
            var path = Path.Combine(TestVideos.Folder, key);
            await create(path);
            return path;
        })).Value;
}
