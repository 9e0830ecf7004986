using Vireo.Media;
using Vireo.Models.Preprocessing;
using Vireo.Vectors;

namespace Vireo.Models;

/// <summary>
/// Frames to unit-length embeddings: CLIP image preprocessing, then the vision tower. The two steps are
/// separate so a pipeline can preprocess the next batch while the model encodes this one.
/// </summary>
public sealed class ImageEncoder
{
    private readonly OnnxTower _tower;

    internal ImageEncoder(OnnxTower tower, ImagePreprocessor preprocessor, int batchSize)
    {
        _tower = tower;
        Preprocessor = preprocessor;
        BatchSize = tower.FixedBatch ?? Math.Max(1, batchSize);
        var (width, height) = preprocessor.Settings.OutputSize(1000, 1000);
        if (preprocessor.Settings.OutputSize(1000, 500) != (width, height))
            throw new ModelFileException(tower.Path, "the preprocessing keeps each image's aspect ratio without cropping, so images would not share one input size; Vireo needs a center crop or a squash resize");
        if (tower.FixedImageSize is { } size && (size.Width != width || size.Height != height))
            throw new ModelFileException(tower.Path, $"the model takes {size.Width}x{size.Height} images but its preprocessing makes {width}x{height}");
        (InputWidth, InputHeight) = (width, height);
    }

    public ImagePreprocessor Preprocessor { get; }

    /// <summary>Images per model call (1 for fixed-batch models).</summary>
    public int BatchSize { get; }

    public int InputWidth { get; }

    public int InputHeight { get; }

    /// <summary>Floats one preprocessed image takes (3 x height x width).</summary>
    public int ImageLength => 3 * InputWidth * InputHeight;

    /// <summary>Preprocesses frames into one contiguous [count, 3, H, W] buffer.</summary>
    public float[] Preprocess(IReadOnlyList<VideoFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var pixels = new float[frames.Count * ImageLength];
        for (var i = 0; i < frames.Count; i++)
            Preprocessor.Preprocess(frames[i], pixels.AsSpan(i * ImageLength, ImageLength));
        return pixels;
    }

    /// <summary>Encodes preprocessed images ([count, 3, H, W]); rows are L2-normalised.</summary>
    public EmbeddingMatrix Encode(float[] pixels, int count, CancellationToken cancellationToken = default)
    {
        var result = EncodeRaw(pixels, count, cancellationToken);
        VectorMath.NormalizeRows(result.AsSpan(), result.Dimension);
        return result;
    }

    /// <summary>
    /// Encodes preprocessed images ([count, 3, H, W]) and returns the model's output as it is: CLIP's projected image
    /// embeddings, not normalised (unless the model normalises inside, as immich exports do).
    /// </summary>
    public EmbeddingMatrix EncodeRaw(float[] pixels, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length < count * ImageLength)
            throw new ArgumentException($"{pixels.Length} floats cannot hold {count} images of {ImageLength}", nameof(pixels));
        EmbeddingMatrix? result = null;
        var chunk = new float[Math.Min(count, BatchSize) * ImageLength];
        for (var start = 0; start < count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = Math.Min(BatchSize, count - start);
            var input = pixels;
            if (start > 0 || n != count)
            {
                pixels.AsSpan(start * ImageLength, n * ImageLength).CopyTo(chunk);
                input = chunk;
            }
            var output = _tower.RunVision(input, n, InputHeight, InputWidth);
            var dimension = output.Length / n;
            result ??= new EmbeddingMatrix(count, dimension);
            output.CopyTo(result.Data.AsSpan(start * dimension));
        }
        return result ?? new EmbeddingMatrix(0, _tower.EmbeddingDimension ?? 1);
    }

    /// <summary>Preprocesses and encodes frames; rows are L2-normalised.</summary>
    public EmbeddingMatrix Encode(IReadOnlyList<VideoFrame> frames, CancellationToken cancellationToken = default)
    {
        var pixels = Preprocess(frames);
        return Encode(pixels, frames.Count, cancellationToken);
    }
}
