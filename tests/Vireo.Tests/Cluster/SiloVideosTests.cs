using Vireo.Cluster;
using Vireo.Ingest;
using Vireo.Library;
using Vireo.Models;
using Vireo.Tests.Support;

namespace Vireo.Tests.Cluster;

/// <summary>A silo's media services follow its shards: a partition that leaves and comes back is served by its new reader.</summary>
public class SiloVideosTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_shard_that_left_and_came_back_is_served_by_its_new_reader()
    {
        var folder = TestVideos.NewPath("silo-videos");
        Directory.CreateDirectory(Path.Combine(folder, "videos"));
        await ColourVideos.WriteAsync(Path.Combine(folder, "videos", "green.mp4"), ("green", 4));
        using var model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root);
        var library = VideoLibrary.Open(Path.Combine(folder, "p03"));
        await new LibraryIngest(library, model).RunAsync([Path.Combine(folder, "videos")], cancellationToken: Ct);
        using var shards = new SiloShards("silo-0", [], model);
        using var videos = new SiloVideos(shards);

        Assert.True(shards.Add(library));
        var before = videos.Get("silo-0/p03");
        shards.Remove(library);
        Assert.Throws<Vireo.Shards.ShardUnavailableException>(() => videos.Get("silo-0/p03"));
        Assert.True(shards.Add(VideoLibrary.Open(library.Directory, create: false)));
        var after = videos.Get("silo-0/p03");

        Assert.NotSame(before, after);
        Assert.Same(shards.Reader("silo-0/p03"), after.Reader);
        Assert.Single(after.Library.ListVideos());
        Assert.NotEmpty((await after.ThumbnailAsync(after.Library.ListVideos()[0].Id, 1, 64, Ct)).Jpeg!);
    }
}
