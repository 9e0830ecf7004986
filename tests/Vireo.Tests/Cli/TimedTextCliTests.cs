using System.Text.Json;
using Vireo.Tests.Retrieval;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cli;

/// <summary><c>vireo index --channels</c> and <c>vireo search --channels</c>: the matched channels and quoted text in the answers.</summary>
public class TimedTextCliTests
{
    /// <summary>talk.mp4 indexed with its subtitles into a new library by <c>vireo index</c>.</summary>
    private static async Task<(string Library, (int Code, string Out, string Error) Index)> IndexTalkAsync(string name)
    {
        var folder = TestVideos.NewPath(name + "-videos");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(TimedTextLibraries.Videos, "talk.mp4"), Path.Combine(folder, "talk.mp4"));
        var library = TestVideos.NewPath(name + "-library");
        var model = (await TestModels.TinyHuggingFaceAsync()).Root;
        return (library, await CliRunner.RunAsync("index", folder, "--library", library, "--model", model, "--channels", "subtitles"));
    }

    [Fact]
    public async Task Index_and_search_with_channels_quote_the_matched_subtitle()
    {
        var (library, index) = await IndexTalkAsync("cli-text");
        var (code, output, error) = await CliRunner.RunAsync("search", "weigh everything before you start", "--library", library, "--channels", "subtitles", "--json");
        var text = await CliRunner.RunAsync("search", "weigh everything before you start", "--library", library, "--channels", "visual,subtitles");
        var wrong = await CliRunner.RunAsync("search", "flour", "--library", library, "--channels", "visual,smell");

        Assert.True(index.Code == 0, index.Error);
        Assert.Contains("subtitles read in 1 video (6 entries)", index.Out, StringComparison.Ordinal);
        Assert.True(code == 0, error);
        var video = JsonDocument.Parse(output).RootElement.GetProperty("results")[0];
        Assert.Equal(["subtitles"], video.GetProperty("matched_channels").EnumerateArray().Select(c => c.GetString()));
        var quote = video.GetProperty("matched_text")[0];
        Assert.Equal(("subtitles", 8.3, 16.7), (quote.GetProperty("channel").GetString(), quote.GetProperty("start").GetDouble(), quote.GetProperty("end").GetDouble()));
        Assert.Contains("Weigh everything", quote.GetProperty("text").GetString(), StringComparison.Ordinal);
        var moment = JsonDocument.Parse(output).RootElement.GetProperty("moments")[0];
        Assert.Equal(("subtitles", 8.3), (moment.GetProperty("matched_text")[0].GetProperty("channel").GetString(), moment.GetProperty("start").GetDouble()));
        Assert.Contains("subtitles 0:08.3–0:16.7 \"You only need flour", text.Out, StringComparison.Ordinal);
        Assert.Equal(1, wrong.Code);
        Assert.Contains("'smell' is not a search channel", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sentence_sharing_no_word_with_the_subtitle_finds_it_by_meaning_and_says_so()
    {
        var (library, index) = await IndexTalkAsync("cli-meaning");

        var (code, output, error) = await CliRunner.RunAsync("search", "what ingredients are required", "--library", library, "--channels", "subtitles", "--json");
        var text = await CliRunner.RunAsync("search", "what ingredients are required", "--library", library, "--channels", "subtitles");

        Assert.True(index.Code == 0 && code == 0, index.Error + error);
        var quote = JsonDocument.Parse(output).RootElement.GetProperty("results")[0].GetProperty("matched_text")[0];
        Assert.Equal(("subtitles", 8.3, 16.7, "meaning", 0.0), (quote.GetProperty("channel").GetString(), quote.GetProperty("start").GetDouble(),
            quote.GetProperty("end").GetDouble(), quote.GetProperty("matched_by").GetString(), quote.GetProperty("words").GetDouble()));
        Assert.InRange(quote.GetProperty("meaning").GetDouble(), 0.5, 1);
        Assert.Contains("Weigh everything before you start.\" (same meaning)", text.Out, StringComparison.Ordinal);
    }
}
