using Vireo.Embedding;
using Vireo.Library;
using Vireo.Ingest;
using Vireo.Models;
using Vireo.Retrieval;
using Vireo.Tests.Support;

namespace Vireo.Tests.Retrieval;

public class LibrarySearcherTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<EmbeddingModel> ConceptAsync() =>
        EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 1 });

    private static async Task<string> VideoAsync(string folder, string name, int target) =>
        (await PlantedVideos.WriteAsync(Path.Combine(folder, name), target, 40, [PlantedVideos.Targets[target]], 8, 12))[0].Video;

    [Fact]
    public async Task With_an_approximate_index_search_still_finds_videos_stored_after_it()
    {
        var folder = TestVideos.NewPath("ann-library-videos");
        Directory.CreateDirectory(folder);
        using var model = await ConceptAsync();
        var library = VideoLibrary.Open(Path.Combine(folder, "library"));
        var first = new[] { await VideoAsync(folder, "red.mp4", 0), await VideoAsync(folder, "blue.mp4", 2), await VideoAsync(folder, "yellow.mp4", 3) };
        await new LibraryIngest(library, model, new IngestOptions { CoarseIndexThreshold = 1 }).RunAsync(first, cancellationToken: Ct);

        Assert.True(File.Exists(CoarseIndex.PathOf(library)));
        Assert.Equal(library.Generation, CoarseIndex.BuiltGeneration(library));
        using var searcher = new LibrarySearcher(library, model);
        Assert.EndsWith("blue.mp4", (await searcher.SearchAsync("blue", Ct)).Videos[0].Path, StringComparison.Ordinal);

        // A video committed without updating the index (as while another process indexes) is searched exactly.
        var purple = await VideoAsync(folder, "purple.mp4", 5);
        var embedded = await new VideoEmbedder(model).EmbedAsync(purple, Ct);
        var mean = new float[model.Dimension];
        Vireo.Vectors.VectorMath.MeanPool(embedded.Clips.AsSpan(), model.Dimension, mean);
        var file = new FileInfo(purple);
        library.Commit(new IndexedVideo(purple, file.Length, file.LastWriteTimeUtc.Ticks, ContentHash.Compute(purple), embedded.Info.Duration, 2,
            embedded.Clips, mean, [], new Vireo.Vectors.EmbeddingMatrix(0, model.Dimension)), model.Identity);
        Assert.True(CoarseIndex.BuiltGeneration(library) < library.Generation);
        Assert.EndsWith("purple.mp4", (await searcher.SearchAsync("purple", Ct)).Videos[0].Path, StringComparison.Ordinal);

        // Re-indexing a video and removing one: the index never answers with stale or missing videos.
        File.Delete(first[0]);
        await new LibraryIngest(library, model, new IngestOptions { Prune = true, CoarseIndexThreshold = 1 }).RunAsync([folder], cancellationToken: Ct);
        Assert.Equal(library.Generation, CoarseIndex.BuiltGeneration(library));
        var red = await searcher.SearchAsync("red", Ct);
        Assert.DoesNotContain(red.Videos, v => v.Path.EndsWith("red.mp4", StringComparison.Ordinal));
        Assert.Equal(3, red.Videos.Count);
    }

    [Fact]
    public async Task Searches_run_while_indexing_goes_on()
    {
        var folder = TestVideos.NewPath("concurrent-videos");
        Directory.CreateDirectory(folder);
        var videos = new List<string>();
        for (var i = 0; i < 6; i++)
            videos.Add(await VideoAsync(folder, $"v{i}.mp4", i));
        using var model = await ConceptAsync();
        var library = VideoLibrary.Open(Path.Combine(folder, "library"));
        await new LibraryIngest(library, model).RunAsync(videos.Take(1), cancellationToken: Ct);
        using var searcher = new LibrarySearcher(library, model);

        var indexing = Task.Run(() => new LibraryIngest(library, model).RunAsync(videos, cancellationToken: Ct), Ct);
        var seen = new List<int>();
        while (!indexing.IsCompleted)
        {
            seen.Add((await searcher.SearchAsync("orange", Ct)).Videos.Count);
            await Task.Delay(50, Ct);
        }
        await indexing;

        Assert.All(seen, count => Assert.InRange(count, 1, 6));
        Assert.Equal(6, (await searcher.SearchAsync("orange", Ct)).Videos.Count);
        Assert.EndsWith("v4.mp4", (await searcher.SearchAsync("orange", Ct)).Videos[0].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_searcher_refuses_a_library_of_another_model()
    {
        var folder = TestVideos.NewPath("mismatch-videos");
        Directory.CreateDirectory(folder);
        using var concept = await ConceptAsync();
        var library = VideoLibrary.Open(Path.Combine(folder, "library"));
        await new LibraryIngest(library, concept).RunAsync([await VideoAsync(folder, "a.mp4", 0)], cancellationToken: Ct);
        using var tiny = EmbeddingModel.Load((await TestModels.TinyHuggingFaceAsync()).Root, new EncoderOptions { IntraOpThreads = 1 });

        Assert.Throws<ModelMismatchException>(() => new LibrarySearcher(library, tiny));
    }
}
