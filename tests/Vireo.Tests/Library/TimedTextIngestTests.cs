using Microsoft.Data.Sqlite;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.Retrieval;
using Vireo.Tests.Retrieval;
using Vireo.Tests.Support;
using Vireo.Tests.TimedText;
using Vireo.TimedText;
using Vireo.TimedText.Ocr;

namespace Vireo.Tests.Library;

/// <summary>Timed text through ingest: stored with the video, added later channel by channel without decoding again, old catalogs upgraded.</summary>
[Collection(Tesseract.Collection)]
public class TimedTextIngestTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> TalkAndCharadesAsync()
    {
        var folder = TestVideos.NewPath("text-videos");
        Directory.CreateDirectory(folder);
        foreach (var name in new[] { "talk.mp4", "charades.mp4" })
            File.Copy(Path.Combine(TimedTextLibraries.Videos, name), Path.Combine(folder, name));
        await File.WriteAllTextAsync(Path.Combine(folder, "charades.en.srt"), "1\n00:00:02,000 --> 00:00:05,500\nSomeone opens the wardrobe door.\n", Ct);
        return folder;
    }

    private static async Task<IngestReport> IndexAsync(string library, string folder, params TextChannel[] channels)
    {
        using var model = await TimedTextLibraries.TinyModelAsync();
        return await new LibraryIngest(VideoLibrary.Open(library), model, new IngestOptions { Channels = channels.ToHashSet() }).RunAsync([folder], cancellationToken: Ct);
    }

    [Fact]
    public async Task A_channel_added_later_is_read_alone_without_decoding_the_videos_again()
    {
        var folder = await TalkAndCharadesAsync();
        var directory = TestVideos.NewPath("library");

        var first = await IndexAsync(directory, folder);
        var subtitles = await IndexAsync(directory, folder, TextChannel.Subtitles);
        var again = await IndexAsync(directory, folder, TextChannel.Subtitles);

        Assert.Equal((2, 0), (first.Added, first.ChannelReads.Count));
        Assert.Equal((0, 2, 0.0), (subtitles.Added, subtitles.Unchanged, subtitles.SecondsIndexed));
        Assert.Equal(2, subtitles.ChannelReads.Count);
        Assert.All(subtitles.ChannelReads, read => Assert.Equal((TextChannel.Subtitles, true), (read.Channel, read.AddedToIndexedVideo)));
        Assert.Equal(6, subtitles.ChannelReads.Single(r => r.Path.EndsWith("talk.mp4", StringComparison.Ordinal)).Entries);
        Assert.Equal(1, subtitles.ChannelReads.Single(r => r.Path.EndsWith("charades.mp4", StringComparison.Ordinal)).Entries);
        Assert.Empty(again.ChannelReads);
        var library = VideoLibrary.Open(directory, create: false);
        var charades = library.Find(Path.Combine(folder, "charades.mp4"))!;
        Assert.Equal("Someone opens the wardrobe door.", Assert.Single(library.ReadTimedText(charades.Id)).Text);

        Tesseract.Require();
        var ocr = await IndexAsync(directory, folder, TextChannel.Subtitles, TextChannel.Ocr);
        Assert.Equal(2, ocr.ChannelReads.Count);
        Assert.All(ocr.ChannelReads, read => Assert.Equal((TextChannel.Ocr, true), (read.Channel, read.AddedToIndexedVideo)));
        Assert.Equal(0.0, ocr.SecondsIndexed);
        var talk = library.Find(Path.Combine(folder, "talk.mp4"))!;
        Assert.Equal([TextChannel.Subtitles, TextChannel.Ocr], library.TextChannelsOf(talk.Id).Order());
    }

    [Fact]
    public async Task New_videos_are_stored_with_their_text_in_one_commit()
    {
        var folder = await TalkAndCharadesAsync();
        var directory = TestVideos.NewPath("library");

        var report = await IndexAsync(directory, folder, TextChannel.Subtitles);

        Assert.Equal(2, report.Added);
        Assert.All(report.ChannelReads, read => Assert.False(read.AddedToIndexedVideo));
        var library = VideoLibrary.Open(directory, create: false);
        var talk = library.Find(Path.Combine(folder, "talk.mp4"))!;
        var entries = library.ReadTimedText(talk.Id);
        Assert.Equal(6, entries.Count);
        Assert.Equal(("eng", 0.3, 7.7), (entries[0].Language, entries[0].Start, entries[0].End));
    }

    [Fact]
    public async Task An_ocr_channel_without_tesseract_is_a_dependency_error_before_anything_is_written()
    {
        var folder = await TalkAndCharadesAsync();
        var directory = TestVideos.NewPath("library");
        using var model = await TimedTextLibraries.TinyModelAsync();
        var options = new IngestOptions
        {
            Channels = new HashSet<TextChannel> { TextChannel.Subtitles, TextChannel.Ocr },
            Ocr = new OcrOptions { Tesseract = new TesseractTool("/nonexistent/tesseract") },
        };

        var error = await Assert.ThrowsAsync<TesseractNotFoundException>(() => new LibraryIngest(VideoLibrary.Open(directory), model, options).RunAsync([folder], cancellationToken: Ct));

        Assert.Equal(Vireo.Errors.ErrorKind.Dependency, error.Kind);
        Assert.Empty(VideoLibrary.Open(directory).ListVideos());
        Assert.Null(VideoLibrary.Open(directory).Settings);
    }

    [Fact]
    public async Task The_speech_channel_is_indexed_with_the_given_whisper_model_and_refused_before_writing_without_one()
    {
        var folder = await TalkAndCharadesAsync();
        var directory = TestVideos.NewPath("library");
        using var model = await TimedTextLibraries.TinyModelAsync();
        var withoutModel = new IngestOptions { Channels = new HashSet<TextChannel> { TextChannel.Speech }, SpeechModel = "/nonexistent/ggml-base.bin" };

        await Assert.ThrowsAnyAsync<Vireo.Errors.VireoException>(() => new LibraryIngest(VideoLibrary.Open(directory), model, withoutModel).RunAsync([folder], cancellationToken: Ct));
        Assert.Empty(VideoLibrary.Open(directory).ListVideos());

        var options = new IngestOptions { Channels = new HashSet<TextChannel> { TextChannel.Speech }, SpeechModel = TestWhisperModels.Multilingual };
        var report = await new LibraryIngest(VideoLibrary.Open(directory), model, options).RunAsync([folder], cancellationToken: Ct);

        Assert.Empty(report.Failures);
        var library = VideoLibrary.Open(directory);
        foreach (var video in library.ListVideos())
        {
            Assert.Equal([TextChannel.Speech], library.TextChannelsOf(video.Id));
            Assert.All(library.ReadTimedText(video.Id), e => Assert.True(e.Channel == TextChannel.Speech && e.Start >= 0 && e.End <= video.Duration + 0.5,
                $"{e.Channel} [{e.Start}, {e.End}] in a {video.Duration}-s video"));
        }
    }

    [Fact]
    public async Task A_version_1_library_upgrades_in_place_and_gains_its_channels_later()
    {
        var folder = await TalkAndCharadesAsync();
        var directory = TestVideos.NewPath("library");
        await IndexAsync(directory, folder);
        DowngradeToVersion1(Path.Combine(directory, VideoLibrary.CatalogFileName));
        var before = Snapshot(Path.Combine(directory, VideoLibrary.CatalogFileName));

        var library = VideoLibrary.Open(directory, create: false);

        Assert.Equal("3", library.ReadSetting("schema_version"));
        Assert.Empty(library.CheckIntegrity());
        var after = Snapshot(Path.Combine(directory, VideoLibrary.CatalogFileName));
        Assert.Equal(before, after);
        Assert.Empty(library.TextChannelsByVideo());
        var report = await IndexAsync(directory, folder, TextChannel.Subtitles);
        Assert.Equal((0, 2, 0.0, 2), (report.Added, report.Unchanged, report.SecondsIndexed, report.ChannelReads.Count));
        using var model = await TimedTextLibraries.TinyModelAsync();
        using var searcher = new LibrarySearcher(library, model);
        var result = await searcher.SearchAsync("opens the wardrobe door", Ct);
        Assert.Equal("charades.mp4", Path.GetFileName(result.Videos[0].Path));
    }

    [Fact]
    public async Task A_version_2_library_keeps_its_text_and_the_next_run_embeds_it_for_search_by_meaning()
    {
        var folder = await TalkAndCharadesAsync();
        var directory = TestVideos.NewPath("library");
        await IndexAsync(directory, folder, TextChannel.Subtitles);
        DowngradeToVersion2(Path.Combine(directory, VideoLibrary.CatalogFileName));

        var library = VideoLibrary.Open(directory, create: false);
        Assert.Equal("3", library.ReadSetting("schema_version"));
        Assert.Equal(7, library.EntriesWithoutSentenceVectors(100).Count);
        using var model = await TimedTextLibraries.TinyModelAsync();
        const string paraphrase = "somebody is opening a closet";
        var subtitlesOnly = new SearchOptions { Channels = new HashSet<SearchChannel> { SearchChannel.Subtitles } };
        using (var before = new LibrarySearcher(library, model, subtitlesOnly))
            Assert.Empty((await before.SearchAsync(paraphrase, Ct)).Videos); // no shared word, no vector yet

        var report = await IndexAsync(directory, folder, TextChannel.Subtitles);

        Assert.Equal((0, 7), (report.ChannelReads.Count, report.SentenceVectorsAdded));
        Assert.Empty(library.EntriesWithoutSentenceVectors(100));
        Assert.StartsWith("all-MiniLM-L6-v2 sha256:", library.SentenceModel, StringComparison.Ordinal);
        using var searcher = new LibrarySearcher(library, model, subtitlesOnly);
        var top = Assert.Single((await searcher.SearchAsync(paraphrase, Ct)).Videos);
        Assert.Equal("charades.mp4", Path.GetFileName(top.Path));
        Assert.Equal((2.0, 5.5), (top.Moments[0].Start, top.Moments[0].End));
        var quote = Assert.Single(top.MatchedText);
        Assert.Equal((0.0, true), (quote.Coverage, quote.Similarity > 0.5));
    }

    [Fact]
    public async Task Vectors_of_another_sentence_model_are_refused_naming_both_models()
    {
        var folder = await TalkAndCharadesAsync();
        var directory = TestVideos.NewPath("library");
        await IndexAsync(directory, folder, TextChannel.Subtitles);
        var library = VideoLibrary.Open(directory, create: false);
        library.WriteSetting(VideoLibrary.SentenceModelKey, "other-model sha256:0123");
        using var model = await TimedTextLibraries.TinyModelAsync();
        using var searcher = new LibrarySearcher(library, model);

        var error = await Assert.ThrowsAsync<LibraryException>(() => searcher.SearchAsync("somebody is opening a closet", Ct));

        Assert.Contains("other-model sha256:0123", error.Message);
        Assert.Contains("all-MiniLM-L6-v2", error.Message);
        var ingest = await Assert.ThrowsAsync<LibraryException>(() => IndexAsync(directory, folder, TextChannel.Subtitles, TextChannel.Ocr));
        Assert.Contains("other-model sha256:0123", ingest.Message);
    }

    /// <summary>Removes what version 2 added, leaving the catalog exactly as version 1 wrote it.</summary>
    internal static void DowngradeToVersion1(string catalog)
    {
        DowngradeToVersion2(catalog);
        using var connection = new SqliteConnection($"Data Source={catalog};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            DROP TRIGGER timed_text_indexed; DROP TRIGGER timed_text_unindexed; DROP TABLE timed_text_fts; DROP TABLE timed_text; DROP TABLE text_channels;
            UPDATE library SET value = '1' WHERE key = 'schema_version';
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>Removes what version 3 added (the sentence vectors), leaving the catalog as version 2 wrote it.</summary>
    private static void DowngradeToVersion2(string catalog)
    {
        using var connection = new SqliteConnection($"Data Source={catalog};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            DROP TRIGGER timed_text_vector_removed; DROP TABLE timed_text_vectors;
            DELETE FROM library WHERE key = 'sentence_model';
            UPDATE library SET value = '2' WHERE key = 'schema_version';
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>Every row of the version-1 tables, as text.</summary>
    private static List<string> Snapshot(string catalog)
    {
        using var connection = new SqliteConnection($"Data Source={catalog};Pooling=False");
        connection.Open();
        var rows = new List<string>();
        foreach (var table in new[] { "videos", "clip_embeddings", "video_vectors", "roots", "damaged_spans" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table} ORDER BY 1";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                rows.Add(table + ": " + string.Join("|", values.Select(v => v is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
            }
        }
        using (var meta = connection.CreateCommand())
        {
            meta.CommandText = "SELECT key, value FROM library WHERE key <> 'schema_version' ORDER BY key";
            using var reader = meta.ExecuteReader();
            while (reader.Read())
                rows.Add($"library: {reader.GetString(0)}={reader.GetString(1)}");
        }
        return rows;
    }
}
