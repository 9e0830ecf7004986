using System.Globalization;
using Vireo.Tests.Support;

namespace Vireo.Tests.TimedText;

/// <summary>A caption planted in a generated video: its text and the seconds it is on screen.</summary>
public sealed record PlantedCaption(string Text, double Start, double End);

/// <summary>Videos with burned-in text at known times, drawn by FFmpeg's drawtext with Debian's DejaVu Sans.</summary>
public static class CaptionVideos
{
    private const string Font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    /// <summary>24 s at 25 fps, 640x360: no text for 3 s, three captions, the last one static for 8 s, 2 s without text, a closing title.</summary>
    public static readonly PlantedCaption[] Captions =
    [
        new("Welcome to the bakery", 3, 7),
        new("Step one: mix the flour", 7, 11),
        new("Preheat the oven to 230 degrees", 11, 19),
        new("Thank you for watching", 21, 24),
    ];

    public const double Duration = 24;

    /// <summary>White captions with a black outline at the bottom of a dark blue frame; no B-frames, so sampled times are exact.</summary>
    public static Task<string> Generated() => TestVideos.Custom("ocr-captions.mp4", path =>
    {
        if (!File.Exists(Font))
            Assert.Fail($"{Font} is missing: install fonts-dejavu-core (the generated caption video draws its text with it)");
        var filters = string.Join(',', Captions.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"drawtext=fontfile={Font}:text='{c.Text.Replace(":", "\\:", StringComparison.Ordinal)}':fontsize=28:fontcolor=white:borderw=2:bordercolor=black:x=(w-tw)/2:y=h-th-40:enable='gte(t,{c.Start})*lt(t,{c.End})'")));
        return FFmpegRunner.RunAsync(
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"color=c=0x204060:s=640x360:r=25:d={Duration}"),
            "-vf", filters, "-c:v", "libx264", "-bf", "0", "-preset", "veryfast", "-pix_fmt", "yuv420p", path);
    });
}
