using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;

namespace Vireo.Tests.Support;

/// <summary>
/// Videos made at test time with FFmpeg's lavfi sources (no binary fixtures in the repository). Each is made
/// once per test run, on first use, in a temporary folder removed when the run ends.
/// </summary>
public static class TestVideos
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Made = new();
    private static readonly Lazy<string> LazyFolder = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "vireo-tests-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return folder;
    });

    public static string Folder => LazyFolder.Value;

    /// <summary>A fresh path in the test folder (for outputs and one-off files).</summary>
    public static string NewPath(string name) => Path.Combine(Folder, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    /// <summary>testsrc2, 10 s, 320x240, 30 fps, H.264 with the index at the front (faststart), no audio.</summary>
    public static Task<string> Testsrc() => Make("testsrc.mp4", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=10",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path));

    /// <summary>The same content with the index at the end (FFmpeg's default for MP4).</summary>
    public static Task<string> TestsrcIndexAtEnd() => Make("testsrc-index-at-end.mp4", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:duration=10",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", path));

    /// <summary>Solid colour stretches at 25 fps, 160x120: red [0,3), green [3,6), blue [6,9).</summary>
    public static Task<string> ColorSegments() => Make("colors.mp4", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "color=c=red:s=160x120:r=25:d=3",
        "-f", "lavfi", "-i", "color=c=green:s=160x120:r=25:d=3",
        "-f", "lavfi", "-i", "color=c=blue:s=160x120:r=25:d=3",
        "-filter_complex", "[0][1][2]concat=n=3:v=1:a=0",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", path));

    /// <summary>Four coloured quadrants (top-left red, top-right green, bottom-left blue, bottom-right white), 320x240, 2 s.</summary>
    public static Task<string> Quadrants() => Make("quadrants.mp4", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "color=c=red:s=160x120:r=25:d=2", "-f", "lavfi", "-i", "color=c=green:s=160x120:r=25:d=2",
        "-f", "lavfi", "-i", "color=c=blue:s=160x120:r=25:d=2", "-f", "lavfi", "-i", "color=c=white:s=160x120:r=25:d=2",
        "-filter_complex", "[0][1]hstack[top];[2][3]hstack[bottom];[top][bottom]vstack",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path));

    /// <summary>
    /// <see cref="Quadrants"/> with a display matrix that rotates it 90 degrees clockwise, the way phones
    /// store portrait video (written into the MP4's track header, as FFmpeg 5 has no option for it).
    /// </summary>
    public static Task<string> QuadrantsRotated90() => Make("quadrants-rot90.mp4", async path =>
    {
        var bytes = await File.ReadAllBytesAsync(await Quadrants());
        Mp4Patch.SetRotationClockwise90(bytes, heightPixels: 240);
        await File.WriteAllBytesAsync(path, bytes);
    });

    /// <summary>
    /// Variable frame rate: 20 frames at 10 fps over [0, 2), nothing in [2, 4.35), then a frame every 0.25 s
    /// from 4.35 s (40 frames). <see cref="VariableFrameRateTimes"/> lists every frame time.
    /// </summary>
    public static Task<string> VariableFrameRate() => Make("vfr.mp4", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=6",
        // Integer milliseconds in a 1/1000 time base, no B-frames: the stored times are exactly these.
        "-vf", "settb=1/1000,setpts='if(lt(N,20),N*100,4350+(N-20)*250)'", "-fps_mode", "vfr",
        "-enc_time_base", "1:1000", "-video_track_timescale", "1000",
        "-c:v", "libx264", "-bf", "0", "-preset", "veryfast", "-pix_fmt", "yuv420p", path));

    public static IReadOnlyList<double> VariableFrameRateTimes =>
        [.. Enumerable.Range(0, 60).Select(n => n < 20 ? n / 10.0 : 4.35 + (n - 20) * 0.25)];

    /// <summary>10-bit H.264 (High 10), 160x120, 2 s, solid magenta.</summary>
    public static Task<string> TenBit() => Make("tenbit.mp4", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "color=c=magenta:s=160x120:r=25:d=2",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p10le", path));

    /// <summary>An odd frame size, 333x127 (4:4:4 so H.264 accepts odd sides), 2 s.</summary>
    public static Task<string> OddSize() => Make("odd-333x127.mp4", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2", "-vf", "scale=333:127,setsar=1",
        "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv444p", path));

    /// <summary>Matroska with a video, an audio and a subtitle stream, 4 s.</summary>
    public static Task<string> WithAudioAndSubtitles() => Make("av-subs.mkv", async path =>
    {
        var subtitles = path + ".srt";
        await File.WriteAllTextAsync(subtitles, "1\n00:00:00,500 --> 00:00:02,000\nhello\n\n2\n00:00:02,500 --> 00:00:03,500\nworld\n");
        await FFmpegRunner.RunAsync(
            "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=4",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=4",
            "-i", subtitles,
            "-map", "0:v", "-map", "1:a", "-map", "2:s",
            "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-c:s", "srt",
            "-metadata:s:a:0", "language=eng", "-metadata:s:s:0", "language=fra", path);
    });

    /// <summary>Audio only (AAC in MP4), 3 s.</summary>
    public static Task<string> AudioOnly() => Make("audio-only.m4a", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "aac", path));

    /// <summary>An MP4 container holding no stream at all (duration 0).</summary>
    public static Task<string> EmptyContainer() => Make("empty-container.mp4", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=1", "-frames:v", "0", "-c:v", "libx264", path));

    /// <summary>8200x16 pixels (FFV1), wider than the default 8192-pixel limit.</summary>
    public static Task<string> Huge() => Make("huge-8200x16.mkv", path => FFmpegRunner.RunAsync(
        "-f", "lavfi", "-i", "color=c=gray:s=8200x16:r=5:d=1", "-c:v", "ffv1", path));

    /// <summary>An AVI whose video fourcc was replaced by one no decoder knows ("QQQQ").</summary>
    public static Task<string> UnknownCodec() => Make("unknown-codec.avi", async path =>
    {
        var source = path + ".source.avi";
        await FFmpegRunner.RunAsync("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25:duration=2", "-c:v", "mpeg4", "-vtag", "XVID", source);
        var bytes = await File.ReadAllBytesAsync(source);
        var replaced = ReplaceAll(bytes, "XVID"u8, "QQQQ"u8);
        Assert.True(replaced > 0, "the AVI has no XVID fourcc to replace");
        await File.WriteAllBytesAsync(path, bytes);
    });

    /// <summary>A text file named like a video.</summary>
    public static Task<string> TextFile() => Make("not-a-video.mp4", path =>
        File.WriteAllTextAsync(path, "This is a text file, not a video.\n"));

    /// <summary>The first <paramref name="fraction"/> of <paramref name="source"/>'s bytes.</summary>
    public static async Task<string> Truncated(string source, double fraction)
    {
        var key = $"truncated-{fraction.ToString(CultureInfo.InvariantCulture)}-{Path.GetFileName(source)}";
        return await Make(key, async path =>
        {
            var bytes = await File.ReadAllBytesAsync(source);
            await File.WriteAllBytesAsync(path, bytes.AsMemory(0, (int)(bytes.Length * fraction)));
        });
    }

    /// <summary>A video made by the caller's FFmpeg command, once per run under <paramref name="name"/>.</summary>
    public static Task<string> Custom(string name, Func<string, Task> create) => Make(name, create);

    private static Task<string> Make(string name, Func<string, Task> create) =>
        Made.GetOrAdd(name, key => new Lazy<Task<string>>(async () =>
        {
            var path = Path.Combine(Folder, key);
            await create(path);
            return path;
        })).Value;

    private static int ReplaceAll(byte[] bytes, ReadOnlySpan<byte> find, ReadOnlySpan<byte> replacement)
    {
        var count = 0;
        for (var i = bytes.AsSpan().IndexOf(find); i >= 0;)
        {
            replacement.CopyTo(bytes.AsSpan(i));
            count++;
            var next = bytes.AsSpan(i + find.Length).IndexOf(find);
            i = next < 0 ? -1 : i + find.Length + next;
        }
        return count;
    }
}

/// <summary>Edits an MP4's track header in place.</summary>
public static class Mp4Patch
{
    /// <summary>Writes the display matrix of a 90-degree clockwise rotation into the first 'tkhd' box.</summary>
    public static void SetRotationClockwise90(byte[] mp4, int heightPixels)
    {
        var box = mp4.AsSpan().IndexOf("tkhd"u8);
        Assert.True(box > 0, "no tkhd box");
        var version = mp4[box + 4];
        // version/flags (4), times and ids (v0: 5 x 4 bytes, v1: 8+8+4+4+8), reserved (8), layer, group, volume, reserved (4 x 2)
        var matrix = box + 4 + 4 + (version == 0 ? 20 : 32) + 8 + 8;
        int[] values = [0, 0x10000, 0, -0x10000, 0, 0, heightPixels << 16, 0, 0x40000000];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(mp4.AsSpan(matrix + 4 * i), values[i]);
    }
}
