namespace Vireo.Models;

/// <summary>How encoders run.</summary>
public sealed record EncoderOptions
{
    /// <summary>Threads ONNX Runtime uses inside one model call; 0 means one per core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Images (or texts) per model call when the model accepts a batch dimension.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Which weights to load when the folder has several; null: the variant the model is registered with (or the one a
    /// library was built with, see Vireo.Engine.ModelChoice), else <see cref="ModelVariant.Default"/>.
    /// </summary>
    public ModelVariant? Variant { get; init; }
}
