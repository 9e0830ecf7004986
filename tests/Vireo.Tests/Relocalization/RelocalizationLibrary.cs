using Vireo.Library;
using Vireo.Models;
using Vireo.Tests.Support;

namespace Vireo.Tests.Relocalization;

/// <summary>
/// One library shared by the re-localization tests: 30 segments of 10–20 s cut from 6 generated sources, transformed
/// with FFmpeg and inserted 3 to a host into 10 host videos, which are indexed with the concept model (the sources are
/// not in the library).
/// </summary>
public sealed class RelocalizationLibrary : IAsyncLifetime
{
    public string Folder { get; } = TestVideos.NewPath("relocalization");

    public string LibraryDirectory => Path.Combine(Folder, "library");

    public string HostFolder => Path.Combine(Folder, "hosts");

    public string ModelFolder { get; private set; } = "";

    public IReadOnlyList<InsertedSegment> Cases { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        ModelFolder = (await TestModels.ConceptHuggingFaceAsync()).Root;
        Cases = await RelocalizationVideos.WriteAsync(Folder, seed: 7, sources: 6, segmentsPerSource: 5, segmentsPerHost: 3);
        var (code, _, error) = await CliRunner.RunAsync("index", HostFolder, "--library", LibraryDirectory, "--model", ModelFolder);
        if (code != 0)
            throw new InvalidOperationException($"indexing the hosts failed: {error}");
    }

    public VideoLibrary Open() => VideoLibrary.Open(LibraryDirectory, create: false);

    public EmbeddingModel LoadModel() => EmbeddingModel.Load(ModelFolder);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
