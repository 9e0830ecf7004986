using Vireo.Models;

namespace Vireo.Synthetic.Clip;

/// <summary>How a model's weights are stored, as in the transformers.js export variants.</summary>
public enum WeightPrecision
{
    /// <summary>float32 weights and compute (<c>model.onnx</c>).</summary>
    Float32,

    /// <summary>float16 weights and compute (<c>model_fp16.onnx</c>); inputs and outputs stay float32 unless asked otherwise.</summary>
    Float16,

    /// <summary>
    /// 8-bit weights with dynamic activation quantization (<c>model_quantized.onnx</c>): DynamicQuantizeLinear +
    /// MatMulInteger / ConvInteger, and Gather on a quantized table followed by DequantizeLinear. As in
    /// transformers.js, weights are uint8 in a model that contains a convolution, int8 otherwise.
    /// </summary>
    Int8,
}

/// <summary>The library's model variants of the precisions, and their file-name suffixes (transformers.js convention).</summary>
public static class WeightPrecisions
{
    /// <summary>The variant a loader picks to read weights of this precision.</summary>
    public static ModelVariant Variant(WeightPrecision precision) => precision switch
    {
        WeightPrecision.Float32 => ModelVariant.Default,
        WeightPrecision.Float16 => ModelVariant.Fp16,
        WeightPrecision.Int8 => ModelVariant.Quantized,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };

    public static string FileSuffix(WeightPrecision precision) => Variant(precision).FileSuffix();
}
