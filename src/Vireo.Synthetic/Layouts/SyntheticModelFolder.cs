using Vireo.Models;
using Vireo.Synthetic.Clip;

namespace Vireo.Synthetic.Layouts;

/// <summary>Which encoder file.</summary>
public enum EncoderKind
{
    Vision,
    Text,

    /// <summary>The combined Hugging Face model.onnx (both towers and the logits).</summary>
    Combined,
}

/// <summary>A written model folder: where everything is, and the facts a loader should find in it.</summary>
public sealed record SyntheticModelFolder(
    string Root, ModelLayout Layout, IReadOnlyList<string> Files, SyntheticClip Model,
    IReadOnlyDictionary<(EncoderKind Kind, WeightPrecision Precision), string> Encoders)
{
    public int EmbedDim => Model.EmbedDim;

    public int ImageSize => Model.ImageSize;

    public int ContextLength => Model.ContextLength;

    /// <summary>The path of an encoder file; throws when that variant was not written.</summary>
    public string EncoderPath(EncoderKind kind, WeightPrecision precision = WeightPrecision.Float32) =>
        Encoders.TryGetValue((kind, precision), out var path) ? path
            : throw new KeyNotFoundException($"{Root} has no {kind} encoder in {precision}");
}
