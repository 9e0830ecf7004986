using System.Globalization;
using System.Text;

namespace Vireo.Bench;

/// <summary>
/// The channels suite's inputs, generated once into the bench's work folder: one hour of low-resolution footage with a
/// subtitle cue every 3 s, as an MP4 with a mov_text track, as an MKV with a SubRip track, and as a video without a
/// track beside its .srt sidecar.
/// </summary>
internal sealed record ChannelsInputs(string Mp4MovText, string MkvSubRip, string WithSidecar, int Cues, double Hours)
{
    private const int Seconds = 3600;
    private const int CueEvery = 3;

    public static string WorkFolder { get; } = Path.Combine(Path.GetTempPath(), "vireo-bench");

    public static async Task<ChannelsInputs> EnsureAsync()
    {
        var folder = Path.Combine(WorkFolder, "channels-1h");
        Directory.CreateDirectory(folder);
        var srt = Path.Combine(folder, "cues.srt");
        var plain = Path.Combine(folder, "sidecar", "long.mp4");
        var inputs = new ChannelsInputs(Path.Combine(folder, "long-movtext.mp4"), Path.Combine(folder, "long-subrip.mkv"), plain, Seconds / CueEvery, Seconds / 3600.0);
        if (File.Exists(inputs.Mp4MovText) && File.Exists(inputs.MkvSubRip) && File.Exists(Path.ChangeExtension(plain, ".srt")))
            return inputs;
        Console.WriteLine("# generating 1 h of 160x90 1 fps footage with a cue every 3 s (once)...");
        await File.WriteAllTextAsync(srt, SubRip(Seconds / CueEvery, CueEvery));
        Directory.CreateDirectory(Path.GetDirectoryName(plain)!);
        await FfmpegAsync(plain, "-f", "lavfi", "-i", $"testsrc2=size=160x90:rate=1:duration={Seconds}", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
        await FfmpegAsync(inputs.Mp4MovText, "-i", plain, "-i", srt, "-map", "0:v", "-map", "1:s", "-c:v", "copy", "-c:s", "mov_text", "-metadata:s:s:0", "language=eng");
        await FfmpegAsync(inputs.MkvSubRip, "-i", plain, "-i", srt, "-map", "0:v", "-map", "1:s", "-c:v", "copy", "-c:s", "subrip", "-metadata:s:s:0", "language=eng");
        File.Copy(srt, Path.ChangeExtension(plain, ".srt"), overwrite: true);
        return inputs;
    }

    /// <summary><paramref name="count"/> cues of <paramref name="every"/> seconds, each a different sentence of a few words.</summary>
    private static string SubRip(int count, int every)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}\n{Clock(i * every)} --> {Clock((i * every) + every - 0.2)}\n");
            text.Append(CultureInfo.InvariantCulture, $"{ChannelsText.Sentence(i)}\nline two of cue {i + 1}\n\n");
        }
        return text.ToString();
    }

    private static string Clock(double seconds) =>
        TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm\:ss\,fff", CultureInfo.InvariantCulture);

    private static async Task FfmpegAsync(string output, params string[] arguments)
    {
        var partial = output + ".partial" + Path.GetExtension(output);
        await Task.Run(() => MediaBench.TimeProcess("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. arguments, partial]));
        File.Move(partial, output, overwrite: true);
    }
}
