using System.Numerics.Tensors;
using Microsoft.Data.Sqlite;
using Vireo.Embedding;
using Vireo.Library;
using Vireo.Ingest;
using Vireo.Models;
using Vireo.Tests.Support;

namespace Vireo.Tests.Library;

public class LibraryIndexerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> FolderOfVideosAsync()
    {
        var folder = TestVideos.NewPath("videos");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        await ColourVideos.WriteAsync(Path.Combine(folder, "red-blue.mp4"), ("red", 6), ("blue", 5));
        await ColourVideos.WriteAsync(Path.Combine(folder, "sub", "yellow.mkv"), ("yellow", 4.5));
        await ColourVideos.WriteAsync(Path.Combine(folder, "sub", "pattern.mov"), ("testsrc2", 3), ("lime", 3));
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not a video", Ct);
        return folder;
    }

    private static async Task<EmbeddingModel> ConceptModelAsync() =>
        EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 2 });

    [Fact]
    public async Task Indexes_a_folder_recursively_with_clip_embeddings()
    {
        var folder = await FolderOfVideosAsync();
        var library = VideoLibrary.Open(TestVideos.NewPath("library"));
        using var model = await ConceptModelAsync();

        var report = await new LibraryIngest(library, model).RunAsync([folder], cancellationToken: Ct);

        Assert.Equal((3, 0, 0), (report.Added, report.Updated, report.Failures.Count));
        Assert.Equal(21.5, report.SecondsIndexed, 1);
        var videos = library.ListVideos();
        Assert.Equal(["pattern.mov", "red-blue.mp4", "yellow.mkv"], videos.Select(v => Path.GetFileName(v.Path)).Order(StringComparer.Ordinal));
        var redBlue = videos.Single(v => v.Path.EndsWith("red-blue.mp4", StringComparison.Ordinal));
        Assert.Equal((6, 2.0, VideoStatus.Indexed), (redBlue.ClipCount, redBlue.ClipLength, redBlue.Status));
        var clips = library.ReadClips(redBlue.Id);
        Assert.Equal((6, 512), (clips.Count, clips.Dimension));
        for (var i = 0; i < clips.Count; i++)
            Assert.Equal(1.0, TensorPrimitives.Norm(clips[i]), 2);
        var red = model.Text.Encode("red");
        Assert.True(TensorPrimitives.Dot(clips[0], red) > 0.8f);
        Assert.True(TensorPrimitives.Dot(clips[5], red) < 0.3f);
        Assert.Equal(model.Identity, library.Settings!.Model);
        var coarse = library.ReadCoarseVectors();
        Assert.Equal(3, coarse.Kinds.Count(k => k == VectorKind.Video));
    }

    [Fact]
    public async Task Runs_are_incremental_touch_aware_and_reuse_copies()
    {
        var folder = await FolderOfVideosAsync();
        var library = VideoLibrary.Open(TestVideos.NewPath("library"));
        using var model = await ConceptModelAsync();
        var indexer = new LibraryIngest(library, model);
        await indexer.RunAsync([folder], cancellationToken: Ct);
        var yellow = Path.Combine(folder, "sub", "yellow.mkv");
        var firstId = library.Find(yellow)!.Id;

        var again = await indexer.RunAsync([folder], cancellationToken: Ct);
        Assert.Equal((0, 0, 3, 0), (again.Added, again.Updated, again.Unchanged, again.Reused));
        Assert.Equal(0, again.SecondsIndexed);

        File.SetLastWriteTimeUtc(yellow, DateTime.UtcNow.AddMinutes(5));
        var touched = await indexer.RunAsync([folder], cancellationToken: Ct);
        Assert.Equal((0, 3), (touched.Updated, touched.Unchanged));
        Assert.Equal(firstId, library.Find(yellow)!.Id);

        File.Copy(yellow, Path.Combine(folder, "copy-of-yellow.mkv"));
        await ColourVideos.WriteAsync(Path.Combine(folder, "red-blue.mp4") + ".new.mp4", ("blue", 4));
        File.Move(Path.Combine(folder, "red-blue.mp4") + ".new.mp4", Path.Combine(folder, "red-blue.mp4"), overwrite: true);
        var changed = await indexer.RunAsync([folder], cancellationToken: Ct);
        Assert.Equal((0, 1, 1), (changed.Added, changed.Updated, changed.Reused));
        Assert.Equal(2, library.Find(Path.Combine(folder, "red-blue.mp4"))!.ClipCount);
        Assert.Equal(library.ReadClips(library.Find(yellow)!.Id).Data, library.ReadClips(library.Find(Path.Combine(folder, "copy-of-yellow.mkv"))!.Id).Data);
    }

    [Fact]
    public async Task Missing_files_are_pruned_only_when_asked()
    {
        var folder = await FolderOfVideosAsync();
        var library = VideoLibrary.Open(TestVideos.NewPath("library"));
        using var model = await ConceptModelAsync();
        await new LibraryIngest(library, model).RunAsync([folder], cancellationToken: Ct);
        File.Delete(Path.Combine(folder, "sub", "pattern.mov"));

        var kept = await new LibraryIngest(library, model).RunAsync([folder], cancellationToken: Ct);
        Assert.Equal(0, kept.Pruned);
        Assert.Equal(3, library.ListVideos().Count);
        var pruned = await new LibraryIngest(library, model, new IngestOptions { Prune = true }).RunAsync([folder], cancellationToken: Ct);
        Assert.Equal(1, pruned.Pruned);
        Assert.Equal(2, library.ListVideos().Count);
        Assert.Equal(2, library.ReadCoarseVectors().Kinds.Count(k => k == VectorKind.Video));
    }

    [Fact]
    public async Task Bad_files_are_reported_and_retried_without_stopping_the_run()
    {
        var folder = await FolderOfVideosAsync();
        await File.WriteAllTextAsync(Path.Combine(folder, "fake.mp4"), "this is text", Ct);
        var truncated = await File.ReadAllBytesAsync(await TestVideos.TestsrcIndexAtEnd(), Ct);
        await File.WriteAllBytesAsync(Path.Combine(folder, "sub", "cut.mp4"), truncated.AsMemory(0, truncated.Length / 2), Ct);
        var garbled = await File.ReadAllBytesAsync(await TestVideos.Testsrc(), Ct);
        new Random(3).NextBytes(garbled.AsSpan(garbled.Length / 2, 20000));
        await File.WriteAllBytesAsync(Path.Combine(folder, "garbled.mp4"), garbled, Ct);
        var library = VideoLibrary.Open(TestVideos.NewPath("library"));
        using var model = await ConceptModelAsync();

        // One decoding thread: frame-threaded H.264 decoding now and then conceals an error without logging it.
        var report = await new LibraryIngest(library, model, new IngestOptions { Embedding = new EmbeddingOptions { DecodeThreads = 1 } }).RunAsync([folder], cancellationToken: Ct);

        // The garbled file decodes to the end with concealed errors: indexed, its damage marked.
        Assert.Equal(4, report.Added);
        Assert.Equal("garbled.mp4", Path.GetFileName(Assert.Single(report.Damaged).Path));
        Assert.Equal(["cut.mp4", "fake.mp4"], report.Failures.Select(f => Path.GetFileName(f.Path)).Order(StringComparer.Ordinal));
        Assert.All(report.Failures, f => Assert.Contains(f.Path, f.Error, StringComparison.Ordinal));
        Assert.Equal(2, library.ListVideos().Count(v => v.Status == VideoStatus.Failed));
        // Failures are tried again, and reported again, on every run.
        var again = await new LibraryIngest(library, model).RunAsync([folder], cancellationToken: Ct);
        Assert.Equal((2, 4), (again.Failures.Count, again.Unchanged));
    }

    [Fact]
    public async Task A_library_refuses_another_model()
    {
        var folder = await FolderOfVideosAsync();
        var library = VideoLibrary.Open(TestVideos.NewPath("library"));
        using (var model = await ConceptModelAsync())
            await new LibraryIngest(library, model).RunAsync([Path.Combine(folder, "sub", "yellow.mkv")], cancellationToken: Ct);
        using var other = EmbeddingModel.Load((await TestModels.TinyHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 1 });

        var error = await Assert.ThrowsAsync<ModelMismatchException>(() => new LibraryIngest(library, other).RunAsync([folder], cancellationToken: Ct));
        Assert.Contains("concepts-hf", error.Message, StringComparison.Ordinal);
        Assert.Single(library.ListVideos());
        Assert.Throws<ModelMismatchException>(() => library.RequireModel(other.Identity));
    }

    [Fact]
    public async Task Damaged_embeddings_and_catalogs_are_detected()
    {
        var folder = await FolderOfVideosAsync();
        var directory = TestVideos.NewPath("library");
        var library = VideoLibrary.Open(directory);
        using var model = await ConceptModelAsync();
        await new LibraryIngest(library, model).RunAsync([folder], cancellationToken: Ct);
        var victim = library.ListVideos()[0];
        Assert.Empty(library.CheckIntegrity());

        using (var connection = new SqliteConnection($"Data Source={library.CatalogPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE clip_embeddings SET data = zeroblob(length(data)) WHERE video_id = $id";
            command.Parameters.AddWithValue("$id", victim.Id);
            command.ExecuteNonQuery();
        }

        Assert.Contains("checksum", Assert.Throws<LibraryException>(() => library.ReadClips(victim.Id)).Message, StringComparison.Ordinal);
        Assert.Contains(library.CheckIntegrity(), p => p.Contains(victim.Path, StringComparison.Ordinal));

        var garbage = TestVideos.NewPath("garbage-library");
        Directory.CreateDirectory(garbage);
        await File.WriteAllTextAsync(Path.Combine(garbage, VideoLibrary.CatalogFileName), new string('x', 5000), Ct);
        Assert.Contains("cannot be opened", Assert.Throws<LibraryException>(() => VideoLibrary.Open(garbage)).Message, StringComparison.Ordinal);
        Assert.Throws<LibraryException>(() => VideoLibrary.Open(TestVideos.NewPath("no-library"), create: false));
    }

    [Fact]
    public async Task Progress_reports_fraction_and_real_time_factor()
    {
        var folder = await FolderOfVideosAsync();
        var library = VideoLibrary.Open(TestVideos.NewPath("library"));
        using var model = await ConceptModelAsync();
        var reports = new List<IngestProgress>();

        await new LibraryIngest(library, model).RunAsync([folder], new Synchronous<IngestProgress>(reports.Add), Ct);

        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1].Fraction, 6);
        Assert.Equal(3, reports[^1].FilesDone);
        Assert.True(reports[^1].RealTimeFactor > 0);
    }

    private sealed class Synchronous<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (this)
                report(value);
        }
    }
}

public class ClipEmbedderTests
{
    [Fact]
    public async Task Embeds_one_video_without_a_library_and_matches_what_indexing_stores()
    {
        var ct = TestContext.Current.CancellationToken;
        var video = await ColourVideos.WriteAsync(TestVideos.NewPath("embed.mp4"), ("red", 3), ("blue", 4.2));
        using var model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 2 });

        var clips = await new VideoEmbedder(model).EmbedAsync(video, ct);

        Assert.Equal(4, clips.Grid.Count);
        Assert.Equal(7.2, clips.Info.Duration, 1);
        Assert.True(TensorPrimitives.Dot(clips.Clips[0], model.Text.Encode("red")) > 0.8f);
        Assert.True(TensorPrimitives.Dot(clips.Clips[3], model.Text.Encode("blue")) > 0.8f);
        var library = VideoLibrary.Open(TestVideos.NewPath("library"));
        await new LibraryIngest(library, model).RunAsync([video], cancellationToken: ct);
        var stored = library.ReadClips(library.Find(video)!.Id);
        for (var i = 0; i < stored.Count; i++)
            Assert.True(TensorPrimitives.CosineSimilarity(stored[i], clips.Clips[i]) > 0.999f, "float16 storage keeps the embedding");
    }

    [Fact]
    public async Task A_file_that_cannot_be_decoded_is_a_media_error()
    {
        using var model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 1 });

        var text = await TestVideos.TextFile();
        await Assert.ThrowsAsync<Vireo.Media.NotAVideoException>(() => new VideoEmbedder(model).EmbedAsync(text, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VideoEmbedder(model, new EmbeddingOptions { ClipLength = 0 }));
    }
}

public class VideoLibraryOpenTests
{
    [Fact]
    public async Task Several_openers_of_a_new_library_at_once_all_succeed()
    {
        var directory = TestVideos.NewPath("racing-library");

        var libraries = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => VideoLibrary.Open(directory), TestContext.Current.CancellationToken)));

        Assert.All(libraries, l => Assert.Equal(0, l.Generation));
        Assert.Empty(libraries[0].ListVideos());
    }
}
