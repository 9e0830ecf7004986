using System.Diagnostics;
using Vireo.Synthetic.Clip;
using Vireo.Synthetic.Layouts;

namespace Vireo.Synthetic;

/// <summary>Ready-made model folders for benchmarks and demos.</summary>
public static class BenchmarkModels
{
    /// <summary>
    /// OpenAI CLIP ViT-B/32's architecture and compute with seeded random weights, as a Hugging Face folder with
    /// float32 onnx/vision_model.onnx (≈ 350 MB) and onnx/text_model.onnx (≈ 250 MB) and all side files.
    /// Weights are generated while they are written (a few seconds, little memory).
    /// </summary>
    public static async Task<(SyntheticModelFolder Folder, TimeSpan Elapsed)> WriteVitB32Async(string folder, TokenizerSource tokenizer,
        ulong seed = 20240531, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var written = await ModelFolders.WriteHuggingFaceAsync(new RandomClip(ClipArchitecture.VitB32, seed), folder, tokenizer,
            new HuggingFaceLayoutOptions { Combined = false, Precisions = [WeightPrecision.Float32] }, cancellationToken).ConfigureAwait(false);
        return (written, watch.Elapsed);
    }
}
