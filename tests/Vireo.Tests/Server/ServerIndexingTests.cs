using System.Net;
using System.Text.Json;
using Vireo.Library;
using Vireo.Ingest;
using Vireo.Models;
using Vireo.Server;
using Vireo.Tests.Support;
using Vireo.Server.Configuration;

namespace Vireo.Tests.Server;

/// <summary>Starting and stopping the indexing of a library's roots through the API, with searches going on.</summary>
public class ServerIndexingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static async Task<JsonElement> StatusAsync(RunningServer server) =>
        JsonDocument.Parse(await server.Client.GetStringAsync("/api/library", Ct)).RootElement.Clone();

    internal static async Task<JsonElement> WaitForEndAsync(RunningServer server)
    {
        for (var i = 0; i < 1200; i++)
        {
            var status = await StatusAsync(server);
            if (status.GetProperty("indexing").GetProperty("state").GetString() is "completed" or "cancelled" or "failed")
                return status;
            await Task.Delay(100, Ct);
        }
        throw new TimeoutException("indexing did not end in 2 minutes");
    }

    /// <summary>A library with one indexed planted video in its root folder "videos".</summary>
    private static async Task<(string Root, EmbeddingModel Model, VideoLibrary Library)> IndexedAsync(
        string name, string file, int seed, double duration, IReadOnlyList<(string Word, string Lavfi)> targets, double minLength, double maxLength)
    {
        var folder = TestVideos.NewPath(name);
        var root = Path.Combine(folder, "videos");
        Directory.CreateDirectory(root);
        await PlantedVideos.WriteAsync(Path.Combine(root, file), seed, duration, targets, minLength, maxLength);
        var model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root);
        var library = VideoLibrary.Open(Path.Combine(folder, "library"));
        await new LibraryIngest(library, model).RunAsync([root], cancellationToken: Ct);
        return (root, model, library);
    }

    [Fact]
    public async Task Indexing_the_roots_from_the_api_adds_new_videos_while_searches_keep_answering()
    {
        var (root, model, library) = await IndexedAsync("server-indexing", "first.mp4", 21, 12, [PlantedVideos.Targets[0]], 4, 6);
        using var disposeModel = model;
        await PlantedVideos.WriteAsync(Path.Combine(root, "second.mp4"), 22, 40, [PlantedVideos.Targets[3]], 6, 10);
        await PlantedVideos.WriteAsync(Path.Combine(root, "third.mp4"), 23, 40, [PlantedVideos.Targets[4]], 6, 10);

        await using var server = await TestServers.InMemoryAsync(new ServerOptions { Library = library, Model = model });
        var started = await server.Client.PostAsync("/api/indexing/start", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var again = await server.Client.PostAsync("/api/indexing/start", null, Ct);
        Assert.True(again.StatusCode == HttpStatusCode.Conflict || (await StatusAsync(server)).GetProperty("indexing").GetProperty("state").GetString() == "completed");
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/search?q=red", Ct)).StatusCode);

        var status = await WaitForEndAsync(server);
        Assert.Equal("completed", status.GetProperty("indexing").GetProperty("state").GetString());
        Assert.Equal(2, status.GetProperty("indexing").GetProperty("report").GetProperty("added").GetInt32());
        Assert.Equal(3, status.GetProperty("indexed").GetInt32());
        var answer = JsonDocument.Parse(await server.Client.GetStringAsync("/api/search?q=a%20yellow%20scene", Ct)).RootElement;
        Assert.Equal("second.mp4", answer.GetProperty("results")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Stopping_cancels_the_run_and_keeps_what_was_committed()
    {
        var (root, model, library) = await IndexedAsync("server-indexing-stop", "seed.mp4", 31, 6, [PlantedVideos.Targets[0]], 2, 3);
        using var disposeModel = model;
        await PlantedVideos.WriteAsync(Path.Combine(root, "long.mp4"), 32, 600, [PlantedVideos.Targets[1]], 20, 30);

        await using var server = await TestServers.InMemoryAsync(new ServerOptions { Library = library, Model = model });
        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsync("/api/indexing/start", null, Ct)).StatusCode);
        var stopped = JsonDocument.Parse(await (await server.Client.PostAsync("/api/indexing/stop", null, Ct)).Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Contains(stopped.GetProperty("state").GetString(), new[] { "stopping", "completed" });
        var status = await WaitForEndAsync(server);
        Assert.Equal("cancelled", status.GetProperty("indexing").GetProperty("state").GetString());
        Assert.Equal(1, status.GetProperty("indexed").GetInt32());
        Assert.Equal(IngestState.Cancelled, server.Service<Vireo.Engine.VireoEngine>().Background.Status.State);
    }

    [Fact]
    public async Task A_library_without_roots_cannot_start_indexing()
    {
        using var folder = new TempFolder();
        using var model = EmbeddingModel.Load((await TestModels.ConceptHuggingFaceAsync()).Root);
        var library = VideoLibrary.Open(folder.File("library"));
        await using var server = await TestServers.InMemoryAsync(new ServerOptions { Library = library, Model = model });
        var response = await server.Client.PostAsync("/api/indexing/start", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("no roots", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_while_another_process_writes_the_library_is_a_409_naming_no_path()
    {
        var (root, model, library) = await IndexedAsync("server-indexing-busy", "seed.mp4", 33, 6, [PlantedVideos.Targets[0]], 2, 3);
        using var disposeModel = model;
        await using var server = await TestServers.InMemoryAsync(new ServerOptions { Library = library, Model = model });

        HttpResponseMessage response;
        using (LibraryWriterLock.Acquire(library.Directory))
            response = await server.Client.PostAsync("/api/indexing/start", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("being written by another indexing run", body, StringComparison.Ordinal);
        Assert.DoesNotContain(library.Directory, body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.PostAsync("/api/indexing/start", null, Ct)).StatusCode);
    }
}
