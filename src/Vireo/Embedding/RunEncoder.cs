using Vireo.Models;

namespace Vireo.Embedding;

/// <summary>
/// A single-threaded session of a model's image tower (the same file: the same weights and variant), opened for one
/// pipeline run so that several batches can be encoded at once, each on its own thread; closed with the run.
/// </summary>
internal sealed class RunEncoder : IDisposable
{
    private readonly OnnxTower _tower;

    private RunEncoder(OnnxTower tower, ImageEncoder encoder)
    {
        _tower = tower;
        Encoder = encoder;
    }

    public ImageEncoder Encoder { get; }

    public static RunEncoder OpenSingleThreaded(EmbeddingModel model, int batchSize)
    {
        var files = model.Files;
        var image = model.Image;
        var tower = OnnxTower.Open(files.VisionModel ?? files.CombinedModel!, TowerKind.Vision,
            new EncoderOptions { IntraOpThreads = 1, BatchSize = batchSize }, (image.InputWidth, image.InputHeight));
        try
        {
            return new RunEncoder(tower, new ImageEncoder(tower, image.Preprocessor, batchSize));
        }
        catch
        {
            tower.Dispose();
            throw;
        }
    }

    public void Dispose() => _tower.Dispose();
}
