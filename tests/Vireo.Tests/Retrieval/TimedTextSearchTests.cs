using Vireo.Library;
using Vireo.Retrieval;
using Vireo.Temporal;
using Vireo.Tests.TimedText;
using Vireo.TimedText;

namespace Vireo.Tests.Retrieval;

/// <summary>Lexical search over the stored timed text, fused with the pictures: the right video, the right [start, end], the right channel.</summary>
public class TimedTextSearchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>talk.mp4's third subtitle cue.</summary>
    private static readonly TemporalWindow KneadingCue = new(17.3, 25.7);

    private static async Task<SearchResult> SearchAsync(string directory, string query, params SearchChannel[] channels)
    {
        using var model = await TimedTextLibraries.TinyModelAsync();
        using var searcher = new LibrarySearcher(VideoLibrary.Open(directory, create: false), model,
            new SearchOptions { Channels = channels.Length == 0 ? SearchChannels.All : channels.ToHashSet() });
        return await searcher.SearchAsync(query, Ct);
    }

    [Fact]
    public async Task A_quoted_subtitle_cue_finds_talk_and_the_cue_through_the_subtitles()
    {
        var library = await TimedTextLibraries.WithSubtitlesAsync();

        var result = await SearchAsync(library, "knead the dough for about ten minutes until it is smooth");

        var top = result.Videos[0];
        Assert.Equal("talk.mp4", Path.GetFileName(top.Path));
        Assert.Contains(SearchChannel.Subtitles, top.MatchedChannels);
        Assert.StartsWith("Knead the dough", top.MatchedText[0].Text, StringComparison.Ordinal);
        Assert.Equal((17.3, 25.7), (top.MatchedText[0].Start, top.MatchedText[0].End));
        var moment = top.Moments[0];
        Assert.True(moment.Window.IoU(KneadingCue) >= 0.7, $"top moment {moment.Window}, cue {KneadingCue}");
        var best = result.Moments[0];
        Assert.Equal(top.VideoId, best.VideoId);
        Assert.True(new TemporalWindow(best.Start, best.End).IoU(KneadingCue) >= 0.7, $"best corpus moment [{best.Start}, {best.End}]");
        Assert.Contains(SearchChannel.Subtitles, best.MatchedChannels);
        Assert.Equal(TextChannel.Subtitles, best.MatchedText[0].Channel);
    }

    [Fact]
    public async Task Channels_choose_what_is_searched()
    {
        var library = await TimedTextLibraries.WithSubtitlesAsync();
        const string query = "bake the loaf in a very hot oven";

        var textOnly = await SearchAsync(library, query, SearchChannel.Subtitles);
        var picturesOnly = await SearchAsync(library, query, SearchChannel.Visual);
        var speechOnly = await SearchAsync(library, query, SearchChannel.Speech);

        var hit = Assert.Single(textOnly.Videos);
        Assert.Equal("talk.mp4", Path.GetFileName(hit.Path));
        Assert.Equal([SearchChannel.Subtitles], hit.MatchedChannels);
        Assert.True(hit.Moments[0].Window.IoU(new TemporalWindow(34.3, 42.7)) >= 0.7);
        Assert.Empty(hit.Saliency);
        Assert.Equal(3, picturesOnly.Videos.Count);
        Assert.All(picturesOnly.Videos, v => Assert.Empty(v.MatchedText));
        Assert.All(picturesOnly.Videos, v => Assert.DoesNotContain(SearchChannel.Subtitles, v.MatchedChannels));
        Assert.Empty(speechOnly.Videos);
    }

    [Theory]
    [InlineData("\"knead the dough")]
    [InlineData("knead* dough*")]
    [InlineData("knead NEAR dough")]
    [InlineData("NEAR(knead dough, 2)")]
    [InlineData("-knead dough")]
    [InlineData("text: knead dough")]
    [InlineData("knead AND dough OR ( NOT")]
    [InlineData("{text}: ^knead + dough \"\"")]
    public async Task Fts5_syntax_in_the_query_is_harmless(string query)
    {
        var library = await TimedTextLibraries.WithSubtitlesAsync();

        var result = await SearchAsync(library, query);

        Assert.Equal("talk.mp4", Path.GetFileName(result.Videos[0].Path));
        Assert.True(result.Videos[0].Moments[0].Window.IoU(KneadingCue) >= 0.7);
    }

    [Fact]
    public async Task A_query_of_symbols_only_searches_the_pictures()
    {
        var library = await TimedTextLibraries.WithSubtitlesAsync();

        var result = await SearchAsync(library, "\"*\" - : () NEAR");
        var symbols = await SearchAsync(library, "\"*\" - : ()", SearchChannel.Subtitles, SearchChannel.Ocr);

        Assert.Equal(3, result.Videos.Count);
        Assert.Empty(symbols.Videos);
    }
}

/// <summary>On-screen text: a slide's words find talk.mp4 and the slide's span through the ocr channel.</summary>
[Collection(Tesseract.Collection)]
public class OnScreenTextSearchTests
{
    [Fact]
    public async Task A_slides_words_find_the_slide_through_the_ocr_channel()
    {
        Tesseract.Require();
        var library = await TimedTextLibraries.WithSubtitlesAndOcrAsync();
        using var model = await TimedTextLibraries.TinyModelAsync();
        using var searcher = new LibrarySearcher(VideoLibrary.Open(library, create: false), model);

        var result = await searcher.SearchAsync("cover the bowl with a damp towel", TestContext.Current.CancellationToken);

        var top = result.Videos[0];
        Assert.Equal("talk.mp4", Path.GetFileName(top.Path));
        Assert.Contains(SearchChannel.Ocr, top.MatchedChannels);
        var slide = new TemporalWindow(26.023, 34.023);
        Assert.True(top.Moments[0].Window.IoU(slide) >= 0.7, $"top moment {top.Moments[0].Window}, slide {slide}");
        Assert.Equal(TextChannel.Ocr, result.Moments[0].MatchedText[0].Channel);
    }
}
