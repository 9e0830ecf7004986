using Vireo.TimedText;
using Vireo.TimedText.Subtitles;

namespace Vireo.Tests.TimedText;

public class SubtitleSubRipTests
{
    [Fact]
    public void Markup_is_removed_and_entities_decoded()
    {
        var text = "1\r\n00:00:01,000 --> 00:00:02,000\r\n{\\an8}<i>Hot</i> <font color=\"#ff0000\">oven</font> &amp; <b>bread</b>\r\n  &lt;not a tag&gt; 3 < 4  \r\n\r\n";

        var cue = Assert.Single(SubRipParser.Parse(text, "a.srt").Cues);

        Assert.Equal("Hot oven & bread\n<not a tag> 3 < 4", cue.Text);
    }

    [Fact]
    public void Cues_without_blank_lines_between_them_and_without_index_lines_are_separated()
    {
        var text = "1\n00:00:01,000 --> 00:00:02,000\nfirst\n2\n00:00:03,000 --> 00:00:04,000\nsecond\nstill second\n00:00:05,000 --> 00:00:06,000\nthird";

        var document = SubRipParser.Parse(text, "a.srt");

        Assert.Equal(["first", "second\nstill second", "third"], document.Cues.Select(c => c.Text));
        Assert.Equal([1.0, 3.0, 5.0], document.Cues.Select(c => c.Start));
        Assert.Empty(document.Issues);
    }

    [Theory]
    [InlineData("00:00:01.250 --> 00:00:02.5", 1.25, 2.5)]
    [InlineData("00:00:01,250 --> 00:00:02,500 X1:10 X2:100 Y1:5 Y2:50", 1.25, 2.5)]
    [InlineData("123:04:05,006 --> 123:04:06,000", 123 * 3600 + 4 * 60 + 5.006, 123 * 3600 + 4 * 60 + 6.0)]
    [InlineData("1:02:03,4 --> 1:02:04,45", 3723.4, 3724.45)]
    public void Timing_lines_in_the_forms_files_use_are_read(string timing, double start, double end)
    {
        var cue = Assert.Single(SubRipParser.Parse($"1\n{timing}\ntext\n", "a.srt").Cues);

        Assert.Equal(start, cue.Start, 6);
        Assert.Equal(end, cue.End, 6);
    }

    [Fact]
    public void Malformed_cues_are_reported_by_line_and_the_rest_kept()
    {
        var text = string.Join('\n',
            "1", "00:00:01,000 --> 00:00:02,000", "good one", "", // lines 1-4
            "2", "00:00:03,000 --> 00:00:0x,000", "bad time", "", // 5-8: timing on line 6
            "3", "00:00:05,000 --> 00:00:04,000", "ends early", "", // 9-12: line 10
            "4", "00:00:06,000 --> 00:00:07,000", "", // 13-15: no text, line 14
            "just some garbage", "more garbage", "", // 16-18: line 16
            "5", "00:01:70,000 --> 00:01:71,000", "seconds past 59", "", // 19-22: line 20
            "6", "00:00:08,000 --> 00:00:09,000", "<i></i>", "", // 23-26: only markup, line 24
            "7", "00:00:10,000 --> 00:00:11,000", "good two");

        var document = SubRipParser.Parse(text, "film.srt");

        Assert.Equal(["good one", "good two"], document.Cues.Select(c => c.Text));
        Assert.Equal(["film.srt:6", "film.srt:10", "film.srt:14", "film.srt:16", "film.srt:20", "film.srt:24"], document.Issues.Select(i => i.Where));
        Assert.Contains("00:00:0x,000", document.Issues[0].Problem, StringComparison.Ordinal);
        Assert.Contains("before it starts", document.Issues[1].Problem, StringComparison.Ordinal);
        Assert.Contains("no text", document.Issues[2].Problem, StringComparison.Ordinal);
        Assert.Contains("just some garbage", document.Issues[3].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Written_srt_and_vtt_read_back_as_the_same_cues()
    {
        var entries = PlantedSubtitles.French.Select(c => new TimedTextEntry(TextChannel.Subtitles, "fr", c.Start, c.End, c.Text, 1, "x")).ToList();
        var srt = new StringWriter();
        var vtt = new StringWriter();

        SubtitleWriter.WriteSrt(srt, entries);
        SubtitleWriter.WriteVtt(vtt, entries.Append(entries[0] with { Start = 3600 * 101 + 0.5, End = 3600 * 101 + 1, Text = "a < b & c --> d" }));

        AssertCues(PlantedSubtitles.French, SubRipParser.Parse(srt.ToString(), "w.srt").Cues);
        var fromVtt = WebVttParser.Parse(vtt.ToString(), "w.vtt");
        Assert.Empty(fromVtt.Issues);
        Assert.Equal("a < b & c --> d", fromVtt.Cues[^1].Text);
        Assert.Equal(3600 * 101 + 0.5, fromVtt.Cues[^1].Start, 6);
    }

    internal static void AssertCues(IReadOnlyList<PlantedCue> expected, IReadOnlyList<SubtitleCue> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Start, actual[i].Start, 3);
            Assert.Equal(expected[i].End, actual[i].End, 3);
            Assert.Equal(expected[i].Text, actual[i].Text);
        }
    }
}
