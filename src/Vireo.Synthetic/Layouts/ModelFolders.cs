using Vireo.Models;
using Vireo.Onnx;
using Vireo.Synthetic.Clip;
using Vireo.Synthetic.Files;

namespace Vireo.Synthetic.Layouts;

/// <summary>What to write into a Hugging Face (transformers.js) model folder.</summary>
public sealed record HuggingFaceLayoutOptions
{
    /// <summary>Put the .onnx files directly in the folder instead of onnx/.</summary>
    public bool Flat { get; init; }

    /// <summary>Also write the combined model.onnx (inputs input_ids, pixel_values, attention_mask).</summary>
    public bool Combined { get; init; } = true;

    /// <summary>The weight variants to write: model.onnx, model_fp16.onnx, model_quantized.onnx (for each encoder).</summary>
    public IReadOnlyList<WeightPrecision> Precisions { get; init; } = [WeightPrecision.Float32, WeightPrecision.Float16, WeightPrecision.Int8];

    /// <summary>
    /// The float16 variants' float inputs and outputs: float32 (false, default) as transformers.js converts with
    /// keep_io_types=True, or float16 (true) as Optimum's --dtype fp16 exports have them.
    /// </summary>
    public bool Float16Io { get; init; }

    public PreprocessorConfigStyle Preprocessor { get; init; } = PreprocessorConfigStyle.Current;
}

/// <summary>
/// Writes synthetic models as complete model folders, with every side file a loader reads:
/// <list type="bullet">
/// <item>Hugging Face: config.json, preprocessor_config.json, tokenizer files, onnx/{vision_model,text_model,model}{,_fp16,_quantized}.onnx
/// (or the flat variant).</item>
/// <item>immich: config.json, visual/model.onnx, visual/preprocess_cfg.json, textual/model.onnx and the tokenizer files in textual/.</item>
/// </list>
/// </summary>
public static class ModelFolders
{
    public static async Task<SyntheticModelFolder> WriteHuggingFaceAsync(SyntheticClip model, string folder, TokenizerSource tokenizer,
        HuggingFaceLayoutOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(tokenizer);
        options ??= new HuggingFaceLayoutOptions();
        Directory.CreateDirectory(folder);
        var files = new List<string>
        {
            await JsonFiles.WriteAsync(Path.Combine(folder, "config.json"), model.HuggingFaceConfig(), cancellationToken).ConfigureAwait(false),
            await JsonFiles.WriteAsync(Path.Combine(folder, "preprocessor_config.json"), PreprocessingConfigs.HuggingFace(model.ImageSize, options.Preprocessor), cancellationToken).ConfigureAwait(false),
        };
        files.AddRange(await tokenizer.WriteAsync(folder, cancellationToken).ConfigureAwait(false));
        var onnxFolder = options.Flat ? folder : Path.Combine(folder, "onnx");
        var encoders = new Dictionary<(EncoderKind, WeightPrecision), string>();
        foreach (var precision in options.Precisions.Distinct())
        {
            var half = precision == WeightPrecision.Float16 && options.Float16Io;
            var suffix = WeightPrecisions.FileSuffix(precision);
            async Task Write(EncoderKind kind, string name, Func<OnnxModel> build)
            {
                var path = Path.Combine(onnxFolder, name + suffix + ".onnx");
                await build().SaveAsync(path, cancellationToken).ConfigureAwait(false);
                encoders[(kind, precision)] = path;
                files.Add(path);
            }
            await Write(EncoderKind.Text, "text_model", () => model.TextModel(EncoderSignature.HuggingFaceText(model.EmbedDim, half), precision)).ConfigureAwait(false);
            await Write(EncoderKind.Vision, "vision_model", () => model.VisionModel(EncoderSignature.HuggingFaceVision(model.EmbedDim, half), precision)).ConfigureAwait(false);
            if (options.Combined)
                await Write(EncoderKind.Combined, "model", () => model.CombinedModel(precision, half)).ConfigureAwait(false);
        }
        return new SyntheticModelFolder(folder, ModelLayout.HuggingFace, files, model, encoders);
    }

    public static async Task<SyntheticModelFolder> WriteImmichAsync(SyntheticClip model, string folder, TokenizerSource tokenizer,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var visual = Path.Combine(folder, "visual");
        var textual = Path.Combine(folder, "textual");
        var files = new List<string>
        {
            await JsonFiles.WriteAsync(Path.Combine(folder, "config.json"), model.ImmichConfig(), cancellationToken).ConfigureAwait(false),
            await JsonFiles.WriteAsync(Path.Combine(visual, "preprocess_cfg.json"), PreprocessingConfigs.Immich(model.ImageSize), cancellationToken).ConfigureAwait(false),
        };
        files.AddRange(await tokenizer.WriteAsync(textual, cancellationToken).ConfigureAwait(false));
        var visualModel = Path.Combine(visual, "model.onnx");
        var textualModel = Path.Combine(textual, "model.onnx");
        await model.VisionModel(EncoderSignature.ImmichVisual(model.ImageSize, model.EmbedDim)).SaveAsync(visualModel, cancellationToken).ConfigureAwait(false);
        await model.TextModel(EncoderSignature.ImmichTextual(model.ContextLength, model.EmbedDim)).SaveAsync(textualModel, cancellationToken).ConfigureAwait(false);
        files.Add(visualModel);
        files.Add(textualModel);
        var encoders = new Dictionary<(EncoderKind, WeightPrecision), string>
        {
            [(EncoderKind.Vision, WeightPrecision.Float32)] = visualModel,
            [(EncoderKind.Text, WeightPrecision.Float32)] = textualModel,
        };
        return new SyntheticModelFolder(folder, ModelLayout.Immich, files, model, encoders);
    }
}
