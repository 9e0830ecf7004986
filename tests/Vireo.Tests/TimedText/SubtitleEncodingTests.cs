using System.Text;
using Vireo.TimedText.Subtitles;

namespace Vireo.Tests.TimedText;

public class SubtitleEncodingTests
{
    private const string Accented = "Crème brûlée à l'été, Ærø, naïve — “quoted” … 5 €";

    private static string Srt => $"1\r\n00:00:01,000 --> 00:00:02,000\r\n{Accented}\r\n";

    public static TheoryData<string, string> Unicode => new()
    {
        { "utf-8", "utf-8" },
        { "utf-8-bom", "utf-8 (BOM)" },
        { "utf-16le-bom", "utf-16le (BOM)" },
        { "utf-16be-bom", "utf-16be (BOM)" },
        { "utf-16le", "utf-16le" },
        { "utf-16be", "utf-16be" },
    };

    [Theory]
    [MemberData(nameof(Unicode))]
    public void Unicode_files_are_detected_and_decoded(string form, string expected)
    {
        var document = SubtitleFile.Parse(Encode(Srt, form), SubtitleFormat.SubRip, "a.srt");

        Assert.Equal(expected, document.Encoding);
        Assert.Equal(Accented, Assert.Single(document.Cues).Text);
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_read_as_windows_1252()
    {
        // "Crème “brûlée” … 5 €" written byte by byte in Windows-1252: é/è/û are Latin-1, the quotes, ellipsis and euro sign
        // are 1252's own 0x80–0x9F characters.
        byte[] text = [.. "1\n00:00:01,000 --> 00:00:02,000\nCr"u8, 0xE8, .. "me "u8, 0x93, .. "br"u8, 0xFB, .. "l"u8, 0xE9, .. "e"u8, 0x94,
            (byte)' ', 0x85, .. " 5 "u8, 0x80, (byte)'\n'];

        var document = SubtitleFile.Parse(text, SubtitleFormat.SubRip, "legacy.srt");

        Assert.Equal("windows-1252", document.Encoding);
        Assert.Equal("Crème “brûlée” … 5 €", Assert.Single(document.Cues).Text);
    }

    [Fact]
    public void Another_legacy_code_page_can_be_named()
    {
        var cyrillic = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;

        var document = SubtitleFile.Parse(cyrillic.GetBytes("1\n00:00:01,000 --> 00:00:02,000\nХлеб\n"), SubtitleFormat.SubRip, "ru.srt", cyrillic);

        Assert.Equal("Хлеб", Assert.Single(document.Cues).Text);
        Assert.Equal("windows-1251", document.Encoding);
    }

    [Fact]
    public void A_file_with_no_valid_cue_is_an_error_naming_it()
    {
        var error = Assert.Throws<Vireo.Errors.InputException>(() =>
            SubtitleFile.Parse("this is not\na subtitle file\n"u8, SubtitleFormat.SubRip, "notes.srt"));

        Assert.Equal("notes.srt", error.Subject);
        Assert.Contains("notes.srt:1", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<SubtitleFormat> Formats => [SubtitleFormat.SubRip, SubtitleFormat.WebVtt, SubtitleFormat.Ass];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Planted_cues_come_back_from_each_format_without_markup_or_drawings(SubtitleFormat format)
    {
        var text = format switch
        {
            SubtitleFormat.WebVtt => PlantedSubtitles.Vtt(PlantedSubtitles.French),
            SubtitleFormat.Ass => PlantedSubtitles.Ass(PlantedSubtitles.French),
            _ => PlantedSubtitles.Srt(PlantedSubtitles.French),
        };

        var document = SubtitleFile.Parse(text, format, "planted");

        Assert.Equal(format, document.Format);
        SubtitleSubRipTests.AssertCues(PlantedSubtitles.French, document.Cues);
        Assert.Empty(document.Issues);
    }

    [Fact]
    public void The_content_decides_the_format_over_the_extension()
    {
        var vtt = SubtitleFile.Parse(Encoding.UTF8.GetBytes(PlantedSubtitles.Vtt(PlantedSubtitles.German)), SubtitleFormat.SubRip, "really-vtt.srt");
        var ass = SubtitleFile.Parse(Encoding.UTF8.GetBytes(PlantedSubtitles.Ass(PlantedSubtitles.French)), SubtitleFormat.SubRip, "really-ass.srt");

        Assert.Equal(SubtitleFormat.WebVtt, vtt.Format);
        Assert.Equal(SubtitleFormat.Ass, ass.Format);
        SubtitleSubRipTests.AssertCues(PlantedSubtitles.French, ass.Cues);
    }

    internal static byte[] Encode(string text, string form) => form switch
    {
        "utf-8" => Encoding.UTF8.GetBytes(text),
        "utf-8-bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
        "utf-16le-bom" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
        "utf-16be-bom" => [0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)],
        "utf-16le" => Encoding.Unicode.GetBytes(text),
        "utf-16be" => Encoding.BigEndianUnicode.GetBytes(text),
        "windows-1252" => CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(text),
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, null),
    };
}
