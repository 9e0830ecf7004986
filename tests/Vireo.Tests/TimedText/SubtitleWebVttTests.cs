using Vireo.TimedText.Subtitles;

namespace Vireo.Tests.TimedText;

public class SubtitleWebVttTests
{
    [Fact]
    public void Headers_notes_styles_regions_ids_and_settings_are_not_text()
    {
        var text = string.Join('\n',
            "WEBVTT - a kitchen talk", "Kind: captions", "Language: en", "",
            "STYLE", "::cue { color: yellow }", "",
            "REGION", "id:fred width:40%", "",
            "NOTE a one-line comment", "",
            "NOTE", "a comment", "over two lines", "",
            "intro", "00:01.000 --> 00:02.500 align:start position:10% line:0", "<v Anna>Preheat</v> <c.loud>the oven</c>.", "",
            "2", "01:00:03.000 --> 01:00:04.000 region:fred", "<v.first.loud Esme>Knead</v> <00:00:03.500>the <b>dough</b>&nbsp;now", "&lrm;Slowly &amp; gently", "");

        var document = WebVttParser.Parse(text, "talk.vtt");

        Assert.Empty(document.Issues);
        Assert.Equal(2, document.Cues.Count);
        Assert.Equal((1.0, 2.5, "Preheat the oven."), (document.Cues[0].Start, document.Cues[0].End, document.Cues[0].Text));
        Assert.Equal((3603.0, 3604.0), (document.Cues[1].Start, document.Cues[1].End));
        Assert.Equal("Knead the dough now\n\u200ESlowly & gently", document.Cues[1].Text);
    }

    [Fact]
    public void A_file_without_the_header_is_reported_and_still_read()
    {
        var document = WebVttParser.Parse("00:01.000 --> 00:02.000\nhello\n", "no-header.vtt");

        Assert.Equal("hello", Assert.Single(document.Cues).Text);
        Assert.Equal("no-header.vtt:1", Assert.Single(document.Issues).Where);
    }

    [Fact]
    public void Malformed_blocks_are_reported_by_line_and_the_rest_kept()
    {
        var text = string.Join('\n',
            "WEBVTT", "",                                // 1-2
            "00:01.000 --> 00:02.000", "one", "",       // 3-5
            "00:03.000 --> 00:0.000", "bad end", "",    // 6-8: line 6
            "stray words", "no timing here", "",        // 9-11: line 9
            "id", "00:05.000 --> 00:04.000", "backwards", "", // 12-15: line 13
            "00:06.000 --> 00:07.000", "",              // 16-17: no text, line 16
            "00:08.000 --> 00:09.000", "two");          // 18-19

        var document = WebVttParser.Parse(text, "bad.vtt");

        Assert.Equal(["one", "two"], document.Cues.Select(c => c.Text));
        Assert.Equal(["bad.vtt:6", "bad.vtt:9", "bad.vtt:13", "bad.vtt:16"], document.Issues.Select(i => i.Where));
    }
}
