using Microsoft.Data.Sqlite;
using Vireo.Library;
using Vireo.Models;
using Vireo.TimedText;
using Vireo.Vectors;
using Vireo.Temporal;
using Vireo.Tests.Support;

namespace Vireo.Tests.Library;

/// <summary>The catalog's timed text: stored with its video, indexed by FTS5, searched safely, removed with its video.</summary>
public class TimedTextStoreTests
{
    private static readonly ModelIdentity Model = new("test-model", 4, "fingerprint");

    internal static IndexedVideo Video(string path, IReadOnlyCollection<TextChannel> channels, params TimedTextEntry[] entries)
    {
        var clips = new EmbeddingMatrix(3, 4);
        for (var i = 0; i < 3; i++)
            clips[i][i] = 1;
        var events = new EmbeddingMatrix([1, 0, 0, 0], 1, 4);
        return new IndexedVideo(path, 100, 1, "hash-" + path, 6, 2, clips, [1, 0, 0, 0], [new ClipSpan(0, 3)], events)
        {
            TextChannels = channels,
            TimedText = entries,
        };
    }

    internal static TimedTextEntry Entry(TextChannel channel, double start, double end, string text) =>
        new(channel, channel == TextChannel.Subtitles ? "en" : null, start, end, text, 1, "test");

    [Fact]
    public void The_bundled_sqlite_has_fts5()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE VIRTUAL TABLE t USING fts5 (text); INSERT INTO t VALUES ('the oven temperature'); SELECT count(*) FROM t WHERE t MATCH '\"oven\"'";
        Assert.Equal(1L, command.ExecuteScalar());
    }

    [Fact]
    public void Timed_text_is_stored_with_its_video_searched_by_bm25_and_removed_with_it()
    {
        var library = VideoLibrary.Open(TestVideos.NewPath("text-library"));
        library.Bind(new LibrarySettings(Model, 2, 1));
        var talk = library.Commit(Video("/videos/talk.mp4", [TextChannel.Subtitles, TextChannel.Ocr],
            Entry(TextChannel.Subtitles, 1, 4, "Preheat the oven to two hundred degrees."),
            Entry(TextChannel.Subtitles, 5, 9, "Now the oven is hot."),
            Entry(TextChannel.Ocr, 0, 10, "Revenue figures\nQ3 2024")), Model);
        var other = library.Commit(Video("/videos/other.mp4", [TextChannel.Subtitles], Entry(TextChannel.Subtitles, 2, 3, "A café in Paris")), Model);

        Assert.Equal([TextChannel.Subtitles, TextChannel.Ocr], library.TextChannelsOf(talk).Order());
        Assert.Equal(3, library.ReadTimedText(talk).Count);
        Assert.Single(library.ReadTimedText(talk, [TextChannel.Ocr]));

        var matches = library.SearchTimedText(TimedTextQuery.Parse("oven temperature two hundred"), [TextChannel.Subtitles, TextChannel.Ocr], 10);
        Assert.Equal([1.0, 5.0], matches.Select(m => m.Entry.Start));
        Assert.All(matches, m => Assert.Equal(talk, m.VideoId));
        Assert.Empty(library.SearchTimedText(TimedTextQuery.Parse("revenue"), [TextChannel.Subtitles], 10));
        Assert.Equal(other, Assert.Single(library.SearchTimedText(TimedTextQuery.Parse("CAFE paris"), [TextChannel.Subtitles], 10)).VideoId);

        library.Remove([talk]);
        Assert.Empty(library.SearchTimedText(TimedTextQuery.Parse("oven revenue"), [TextChannel.Subtitles, TextChannel.Ocr], 10));
        Assert.Empty(library.TextChannelsOf(talk));
        Assert.Empty(library.CheckIntegrity());
    }

    [Theory]
    [InlineData("\"oven")]
    [InlineData("oven*")]
    [InlineData("oven NEAR hot")]
    [InlineData("NEAR(oven hot)")]
    [InlineData("-oven")]
    [InlineData("text:oven")]
    [InlineData("oven AND NOT hot OR (")]
    [InlineData("^oven + {text}: \"\"")]
    public void Fts5_syntax_in_a_query_is_only_words(string query)
    {
        var library = VideoLibrary.Open(TestVideos.NewPath("text-library"));
        library.Bind(new LibrarySettings(Model, 2, 1));
        library.Commit(Video("/videos/talk.mp4", [TextChannel.Subtitles], Entry(TextChannel.Subtitles, 1, 4, "Preheat the oven.")), Model);

        var matches = library.SearchTimedText(TimedTextQuery.Parse(query), [TextChannel.Subtitles], 10);

        Assert.Equal(query.Contains("oven", StringComparison.Ordinal) ? 1 : 0, matches.Count);
    }

    [Fact]
    public void A_query_of_symbols_only_matches_nothing()
    {
        var query = TimedTextQuery.Parse("\"*\" - : ()");
        Assert.True(query.IsEmpty);
        Assert.Equal("\"near\" OR \"oven\"", TimedTextQuery.Parse("NEAR oven near").Fts5);
    }

    [Fact]
    public void Adding_a_channel_replaces_only_that_channel()
    {
        var library = VideoLibrary.Open(TestVideos.NewPath("text-library"));
        library.Bind(new LibrarySettings(Model, 2, 1));
        var id = library.Commit(Video("/videos/talk.mp4", [TextChannel.Subtitles], Entry(TextChannel.Subtitles, 1, 4, "Preheat the oven.")), Model);
        var generation = library.Generation;

        library.AddTimedText(id, [TextChannel.Ocr], [Entry(TextChannel.Ocr, 0, 6, "Oven: 200 degrees")]);
        library.AddTimedText(id, [TextChannel.Ocr], [Entry(TextChannel.Ocr, 0, 6, "Oven: 220 degrees")]);

        Assert.True(library.Generation > generation);
        Assert.Equal(["Preheat the oven.", "Oven: 220 degrees"], library.ReadTimedText(id).Select(e => e.Text).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal(2, library.SearchTimedText(TimedTextQuery.Parse("oven"), [TextChannel.Subtitles, TextChannel.Ocr], 10).Count);
        Assert.Empty(library.SearchTimedText(TimedTextQuery.Parse("200"), [TextChannel.Ocr], 10));
    }

    [Fact]
    public void A_copy_keeps_the_on_screen_text_but_reads_its_own_subtitles()
    {
        var library = VideoLibrary.Open(TestVideos.NewPath("text-library"));
        library.Bind(new LibrarySettings(Model, 2, 1));
        var id = library.Commit(Video("/videos/talk.mp4", [TextChannel.Subtitles, TextChannel.Ocr],
            Entry(TextChannel.Subtitles, 1, 4, "Preheat the oven."), Entry(TextChannel.Ocr, 0, 6, "Oven")), Model);

        var copy = library.CopyIndexed(library.Find(id)!, "/videos/copy.mp4", 100, 2);

        Assert.Equal([TextChannel.Ocr], library.TextChannelsOf(copy));
        Assert.Equal("Oven", Assert.Single(library.ReadTimedText(copy)).Text);
    }
}
