using Vireo.Onnx;

namespace Vireo.Models;

/// <summary>One file <see cref="ModelQuantizer"/> wrote.</summary>
/// <param name="Source">The float32 model it was made from.</param>
/// <param name="Target">The 8-bit model (<c>*_quantized.onnx</c> beside the source).</param>
/// <param name="Report">What was quantized, and the weight bytes before and after.</param>
public sealed record QuantizedFile(string Source, string Target, QuantizationReport Report);

/// <summary>
/// Writes the int8 variant of a float32 CLIP model folder: each ONNX file (Hugging Face: onnx/text_model.onnx,
/// onnx/vision_model.onnx, onnx/model.onnx; immich: textual/model.onnx, visual/model.onnx) gets a
/// <c>*_quantized.onnx</c> beside it, named as transformers.js names its exports, so the quantized variant
/// (<see cref="ModelVariant.Quantized"/>) loads it. See <see cref="DynamicQuantizer"/> for the form.
/// All files appear together or none does: each is written to a staging file first, and the staging files are
/// renamed only once every one is complete.
/// </summary>
public static class ModelQuantizer
{
    private const string StagingSuffix = ".staging";

    /// <exception cref="ModelException">The folder holds no float32 model, or a file is malformed or cannot be quantized (the message names it).</exception>
    public static async Task<IReadOnlyList<QuantizedFile>> QuantizeAsync(string folder, QuantizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var files = ModelFolder.Locate(folder, ModelVariant.Default);
        var sources = new[] { files.TextModel, files.VisionModel, files.CombinedModel }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var written = new List<QuantizedFile>();
        try
        {
            foreach (var source in sources)
            {
                var target = TargetOf(source);
                var model = Read(source);
                var (quantized, report) = Quantize(model, source, options);
                await quantized.SaveAsync(target + StagingSuffix, cancellationToken).ConfigureAwait(false);
                written.Add(new QuantizedFile(source, target, report));
            }
            foreach (var file in written)
                File.Move(file.Target + StagingSuffix, file.Target, overwrite: true);
            return written;
        }
        finally
        {
            foreach (var file in written)
            {
                if (File.Exists(file.Target + StagingSuffix))
                    File.Delete(file.Target + StagingSuffix);
            }
        }
    }

    /// <summary>Where the 8-bit variant of <paramref name="source"/> goes: "vision_model.onnx" → "vision_model_quantized.onnx".</summary>
    public static string TargetOf(string source) =>
        Path.Combine(Path.GetDirectoryName(source)!, Path.GetFileNameWithoutExtension(source) + ModelVariant.Quantized.FileSuffix() + ".onnx");

    private static OnnxModel Read(string source)
    {
        try
        {
            return OnnxModelReader.Read(source);
        }
        catch (OnnxFormatException e)
        {
            throw new ModelFileException(source, e.Reason, e);
        }
    }

    private static (OnnxModel Model, QuantizationReport Report) Quantize(OnnxModel model, string source, QuantizationOptions? options)
    {
        try
        {
            var (quantized, report) = DynamicQuantizer.Quantize(model, source, options);
            // A tower without matrix products (a synthetic one) is carried over as it is, so the variant is complete;
            // one whose products are all integer or float16 already is not a float32 export.
            if (report.Quantized == 0 && (report.KeptFloat > 0 || model.Graph.Nodes.Any(n => n.OpType is "MatMulInteger" or "DynamicQuantizeMatMul" or "QLinearMatMul" or "ConvInteger")))
            {
                throw new ModelFileException(source, "no MatMul or Gemm with a constant float32 weight to quantize (is it already quantized, or float16?)");
            }
            return (quantized, report);
        }
        catch (OnnxFormatException e)
        {
            throw new ModelFileException(source, e.Reason, e);
        }
    }
}
