using Vireo.Library;
using Vireo.Ingest;
using Vireo.Models;
using Vireo.Tests.Support;

namespace Vireo.Tests.Server;

/// <summary>
/// A library the server tests share, indexed once with the concept model: under <c>videos/</c> (the root) a video
/// with a red stretch, one with a blue stretch, and <c>escape.mp4</c>, a symbolic link to a video outside the root
/// (which the server must refuse to serve); the library folder lies beside them.
/// </summary>
public sealed class ServerLibrary : IAsyncLifetime
{
    public string Folder { get; } = TestVideos.NewPath("server");

    public string Root => Path.Combine(Folder, "videos");

    public string Outside => Path.Combine(Folder, "outside");

    public VideoLibrary Library { get; private set; } = null!;

    public EmbeddingModel Model { get; private set; } = null!;

    public List<PlantedMoment> Planted { get; } = [];

    public async ValueTask InitializeAsync()
    {
        var modelFolder = (await TestModels.ConceptHuggingFaceAsync()).Root;
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Outside);
        Planted.AddRange(await PlantedVideos.WriteAsync(Path.Combine(Root, "only-red.mp4"), 11, 30, [PlantedVideos.Targets[0]], 6, 10));
        Planted.AddRange(await PlantedVideos.WriteAsync(Path.Combine(Root, "only-blue.mp4"), 12, 30, [PlantedVideos.Targets[2]], 6, 10));
        await PlantedVideos.WriteAsync(Path.Combine(Outside, "secret.mp4"), 13, 10, [PlantedVideos.Targets[1]], 4, 6);
        File.CreateSymbolicLink(Path.Combine(Root, "escape.mp4"), Path.Combine(Outside, "secret.mp4"));
        Model = EmbeddingModel.Load(modelFolder);
        Library = VideoLibrary.Open(Path.Combine(Folder, "library"));
        await new LibraryIngest(Library, Model).RunAsync([Root], cancellationToken: TestContext.Current.CancellationToken);
    }

    public LibraryVideo Video(string name) => Library.ListVideos().Single(v => Path.GetFileName(v.Path) == name);

    public ValueTask DisposeAsync()
    {
        Model?.Dispose();
        return ValueTask.CompletedTask;
    }
}
