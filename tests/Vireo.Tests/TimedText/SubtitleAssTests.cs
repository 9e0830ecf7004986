using Vireo.TimedText.Subtitles;

namespace Vireo.Tests.TimedText;

public class SubtitleAssTests
{
    [Fact]
    public void Fields_follow_the_format_line_and_the_text_keeps_its_commas()
    {
        var text = string.Join('\n',
            "[Script Info]", "ScriptType: v4.00", "",
            "[Events]", "Format: Marked, End, Start, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
            "Comment: Marked=0,0:00:09.00,0:00:08.00,Default,,0,0,0,,a comment is not text",
            "Dialogue: Marked=0,0:00:02.50,0:00:01.25,Default,,0,0,0,,Flour, water, salt{\\i1} and {\\i0}yeast",
            "Dialogue: Marked=0,0:00:04.00,0:00:03.00,Default,,0,0,0,,{Sign}first\\nsecond\\hthird\\N\\Nfourth");

        var document = AssParser.Parse(text, "a.ssa");

        Assert.Empty(document.Issues);
        Assert.Equal((1.25, 2.5, "Flour, water, salt and yeast"), (document.Cues[0].Start, document.Cues[0].End, document.Cues[0].Text));
        Assert.Equal("first second third\nfourth", document.Cues[1].Text);
    }

    [Fact]
    public void A_format_line_with_thousands_of_fields_is_read_without_exhausting_the_stack()
    {
        var names = Enumerable.Range(0, 100_000).Select(i => "X" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        names[1] = "Start";
        names[2] = "End";
        names[^1] = "Text";
        var text = "[Events]\nFormat: " + string.Join(", ", names) + "\nDialogue: 0,0:00:01.00,0:00:02.00" + new string(',', names.Count - 3) + "huge, but read";

        Assert.Equal("huge, but read", Assert.Single(AssParser.Parse(text, "a.ass").Cues).Text);
    }

    [Fact]
    public void Soft_breaks_are_line_breaks_under_wrap_style_2()
    {
        var text = "[Script Info]\nWrapStyle: 2\n\n[Events]\nDialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,one\\ntwo";

        Assert.Equal("one\ntwo", Assert.Single(AssParser.Parse(text, "a.ass").Cues).Text);
    }

    [Fact]
    public void Drawing_mode_drops_shapes_until_it_ends_and_scale_zero_ends_it()
    {
        var text = "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n" +
            "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,{\\pos(1,2)\\pbo0}Before{\\p2}m 0 0 l 9 9{\\p0} after";

        Assert.Equal("Before after", Assert.Single(AssParser.Parse(text, "a.ass").Cues).Text);
    }

    [Fact]
    public void Malformed_dialogues_are_reported_by_line_and_the_rest_kept()
    {
        var text = string.Join('\n',
            "[Events]", "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text", // 1-2
            "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,good",      // 3
            "Dialogue: 0,0:00:0a.00,0:00:02.00,Default,,0,0,0,,bad start", // 4
            "Dialogue: 0,0:00:03.00",                                      // 5
            "Dialogue: 0,0:00:05.00,0:00:04.00,Default,,0,0,0,,backwards", // 6
            "Dialogue: 0,0:00:07.00,0:00:08.00,Default,,0,0,0,,{\\b1}",    // 7: overrides only, typesetting: no issue
            "Dialogue: 0,0:00:09.00,0:00:10.00,Default,,0,0,0,,also good");

        var document = AssParser.Parse(text, "bad.ass");

        Assert.Equal(["good", "also good"], document.Cues.Select(c => c.Text));
        Assert.Equal(["bad.ass:4", "bad.ass:5", "bad.ass:6"], document.Issues.Select(i => i.Where));
    }
}
