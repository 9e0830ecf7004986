using System.Globalization;
using System.Text;

namespace Vireo.Tests.TimedText;

/// <summary>A cue the tests plant in a subtitle file or track, and expect back.</summary>
public sealed record PlantedCue(double Start, double End, string Text);

/// <summary>Known cues and the subtitle files that carry them, written by the tests in each format.</summary>
public static class PlantedSubtitles
{
    /// <summary>Times on whole centiseconds, so every format (ASS keeps centiseconds) stores them exactly.</summary>
    public static readonly PlantedCue[] English =
    [
        new(0.5, 1.75, "The oven is at two hundred degrees."),
        new(2.25, 3.5, "Slice the bread\nwhen it is cool."),
    ];

    public static readonly PlantedCue[] French =
    [
        new(0.6, 1.8, "Le four est chaud.\nAttendez, s'il vous plaît."),
        new(2.1, 3.3, "Coupez le pain."),
    ];

    public static readonly PlantedCue[] German =
    [
        new(0.7, 1.9, "Der Ofen ist heiß."),
        new(2.4, 3.6, "Schneiden Sie das Brot."),
    ];

    public static string Srt(IEnumerable<PlantedCue> cues) =>
        string.Concat(cues.Select((c, i) => Invariant($"{i + 1}\n{Clock(c.Start, ',')} --> {Clock(c.End, ',')}\n{c.Text}\n\n")));

    public static string Vtt(IEnumerable<PlantedCue> cues) =>
        "WEBVTT\n\n" + string.Concat(cues.Select(c => Invariant($"{Clock(c.Start, '.')} --> {Clock(c.End, '.')}\n{c.Text}\n\n")));

    /// <summary>
    /// An ASS script whose dialogue wraps each cue's first word in bold overrides, writes its line breaks as \N and its
    /// spaces after commas as \h, and adds a drawing-only event: the plain text must come back as planted.
    /// </summary>
    public static string Ass(IEnumerable<PlantedCue> cues)
    {
        var script = new StringBuilder(
            "[Script Info]\nScriptType: v4.00+\nPlayResX: 384\nPlayResY: 288\n\n[V4+ Styles]\n" +
            "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n" +
            "Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,2,10,10,10,1\n\n" +
            "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n");
        foreach (var cue in cues)
        {
            var space = cue.Text.IndexOf(' ', StringComparison.Ordinal);
            var text = "{\\b1\\pos(10,20)}" + cue.Text[..space] + "{\\b0}" + cue.Text[space..].Replace("\n", "\\N", StringComparison.Ordinal).Replace(", ", ",\\h", StringComparison.Ordinal);
            script.Append(Invariant($"Dialogue: 0,{AssClock(cue.Start)},{AssClock(cue.End)},Default,,0,0,0,,{text}\n"));
            script.Append(Invariant($"Dialogue: 1,{AssClock(cue.Start)},{AssClock(cue.End)},Default,,0,0,0,,{{\\p1}}m 0 0 l 100 0 100 100 0 100{{\\p0}}\n"));
        }
        return script.ToString();
    }

    public static string Clock(double seconds, char separator)
    {
        var ms = (long)Math.Round(seconds * 1000);
        return Invariant($"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}{separator}{ms % 1000:000}");
    }

    private static string AssClock(double seconds)
    {
        var cs = (long)Math.Round(seconds * 100);
        return Invariant($"{cs / 360_000}:{cs / 6000 % 60:00}:{cs / 100 % 60:00}.{cs % 100:00}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
