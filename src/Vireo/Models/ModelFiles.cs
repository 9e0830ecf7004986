namespace Vireo.Models;

/// <summary>The folder layouts Vireo recognises.</summary>
public enum ModelLayout
{
    /// <summary>Hugging Face / transformers.js: onnx/text_model.onnx, onnx/vision_model.onnx (or the same files at the top).</summary>
    HuggingFace,

    /// <summary>immich: textual/model.onnx, visual/model.onnx, visual/preprocess_cfg.json, config.json.</summary>
    Immich,
}

/// <summary>Which weights to load when a folder has several (transformers.js file suffixes).</summary>
public enum ModelVariant
{
    /// <summary>Full precision (text_model.onnx).</summary>
    Default,

    /// <summary>8-bit quantized (text_model_quantized.onnx).</summary>
    Quantized,

    /// <summary>Half precision (text_model_fp16.onnx).</summary>
    Fp16,
}

/// <summary>The file names of the <see cref="ModelVariant"/>s.</summary>
public static class ModelVariants
{
    /// <summary>What transformers.js appends to a model file's name for the variant: "", "_quantized" or "_fp16".</summary>
    public static string FileSuffix(this ModelVariant variant) => variant switch
    {
        ModelVariant.Quantized => "_quantized",
        ModelVariant.Fp16 => "_fp16",
        _ => "",
    };

    /// <summary>The value of <c>--variant</c> that selects it: "default", "quantized" or "fp16".</summary>
    public static string OptionValue(this ModelVariant variant) => variant.ToString().ToLowerInvariant();

    /// <summary>The variant with its weights' precision, for messages: "quantized (int8)".</summary>
    public static string Describe(this ModelVariant variant) => variant switch
    {
        ModelVariant.Quantized => "quantized (int8)",
        ModelVariant.Fp16 => "fp16 (float16)",
        _ => "default (float32)",
    };
}

/// <summary>The files of one model folder, as found by <see cref="ModelFolder.Locate"/>.</summary>
public sealed record ModelFiles
{
    public required string Root { get; init; }

    public required ModelLayout Layout { get; init; }

    public required ModelVariant Variant { get; init; }

    /// <summary>The text encoder, unless only a combined model exists.</summary>
    public string? TextModel { get; init; }

    /// <summary>The image encoder, unless only a combined model exists.</summary>
    public string? VisionModel { get; init; }

    /// <summary>A model with both towers (transformers.js model.onnx), used when a tower has no file of its own.</summary>
    public string? CombinedModel { get; init; }

    /// <summary>preprocessor_config.json (Hugging Face) or visual/preprocess_cfg.json (immich).</summary>
    public string? PreprocessorConfig { get; init; }

    /// <summary>config.json, when present.</summary>
    public string? Config { get; init; }

    /// <summary>The folder that holds the tokenizer files.</summary>
    public required string TokenizerFolder { get; init; }

    /// <summary>tokenizer_config.json, when present.</summary>
    public string? TokenizerConfig { get; init; }
}
