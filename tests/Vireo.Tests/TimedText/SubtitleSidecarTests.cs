using Vireo.TimedText.Subtitles;
using Vireo.Tests.Support;

namespace Vireo.Tests.TimedText;

public class SubtitleSidecarTests
{
    [Theory]
    [InlineData("talk.srt", SubtitleFormat.SubRip, null, "")]
    [InlineData("talk.vtt", SubtitleFormat.WebVtt, null, "")]
    [InlineData("talk.ass", SubtitleFormat.Ass, null, "")]
    [InlineData("talk.SSA", SubtitleFormat.Ass, null, "")]
    [InlineData("talk.en.srt", SubtitleFormat.SubRip, "en", "")]
    [InlineData("talk.pt-BR.vtt", SubtitleFormat.WebVtt, "pt-BR", "")]
    [InlineData("talk.zh-Hant-TW.srt", SubtitleFormat.SubRip, "zh-Hant-TW", "")]
    [InlineData("talk.es_419.Srt", SubtitleFormat.SubRip, "es_419", "")]
    [InlineData("talk.eng.forced.srt", SubtitleFormat.SubRip, "eng", "forced")]
    [InlineData("talk.SDH.fr.srt", SubtitleFormat.SubRip, "fr", "sdh")]
    [InlineData("talk.directors-commentary.srt", SubtitleFormat.SubRip, null, "")]
    [InlineData("talk.mp4.srt", SubtitleFormat.SubRip, null, "")]
    public void Names_after_the_video_are_its_sidecars(string name, SubtitleFormat format, string? language, string flags)
    {
        var sidecar = SubtitleSidecars.Match("talk.mp4", name);

        Assert.NotNull(sidecar);
        Assert.Equal(format, sidecar.Format);
        Assert.Equal(language, sidecar.Language);
        Assert.Equal(flags, string.Join(',', sidecar.Flags));
    }

    [Theory]
    [InlineData("talk2.srt")]
    [InlineData("talks.en.srt")]
    [InlineData("talk.en.txt")]
    [InlineData("talk.en.sub")]
    [InlineData("other.talk.srt")]
    [InlineData("talk")]
    public void Other_names_are_not(string name) => Assert.Null(SubtitleSidecars.Match("talk.mp4", name));

    [Fact]
    public void A_video_with_dots_in_its_name_keeps_them_in_the_base_name()
    {
        Assert.Equal("de", SubtitleSidecars.Match("my.bread.talk.mkv", "my.bread.talk.de.srt")?.Language);
        Assert.Null(SubtitleSidecars.Match("my.bread.talk.mkv", "my.bread.de.srt"));
    }

    [Fact]
    public void Find_lists_the_matching_files_of_the_video_folder_only()
    {
        using var folder = new TempFolder();
        var video = folder.File("talk.mp4");
        foreach (var name in new[] { "talk.mp4", "talk.en.srt", "talk.fr.ASS", "talk2.srt", "talk.nfo" })
            File.WriteAllText(folder.File(name), "x");
        Directory.CreateDirectory(folder.File("sub"));
        File.WriteAllText(Path.Combine(folder.File("sub"), "talk.srt"), "x");

        var found = SubtitleSidecars.Find(video);

        Assert.Equal(["talk.en.srt", "talk.fr.ASS"], found.Select(s => Path.GetFileName(s.Path)));
        Assert.Equal(folder.File("talk.en.srt"), found[0].Path);
    }
}
