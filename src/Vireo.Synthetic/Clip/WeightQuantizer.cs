using System.Numerics.Tensors;
using Vireo.Onnx;

namespace Vireo.Synthetic.Clip;

/// <summary>An 8-bit tensor with its per-tensor scale and zero point: value ≈ scale · (q − zero point).</summary>
internal sealed record QuantizedTensor(TensorData Values, float Scale, TensorData ZeroPoint);

/// <summary>
/// Per-tensor weight quantization as ONNX Runtime's dynamic quantizer does it: int8 symmetric around 0, or
/// uint8 asymmetric over [min(0, w), max(0, w)].
/// </summary>
internal static class WeightQuantizer
{
    public static QuantizedTensor Quantize(TensorData weights, bool signed)
    {
        var values = weights.ToFloatArray();
        var dims = weights.Dims.ToArray();
        var min = Math.Min(0f, values.Length == 0 ? 0 : TensorPrimitives.Min(values));
        var max = Math.Max(0f, values.Length == 0 ? 0 : TensorPrimitives.Max(values));
        if (signed)
        {
            var scale = Math.Max(Math.Abs(min), Math.Abs(max)) / 127f;
            scale = scale > 0 ? scale : 1;
            var q = new sbyte[values.Length];
            for (var i = 0; i < q.Length; i++)
                q[i] = (sbyte)Math.Clamp(MathF.Round(values[i] / scale), -127, 127);
            return new QuantizedTensor(TensorData.FromArray(q, dims), scale, TensorData.Scalar((sbyte)0));
        }
        else
        {
            var scale = (max - min) / 255f;
            scale = scale > 0 ? scale : 1;
            var zeroPoint = (byte)Math.Clamp(MathF.Round(-min / scale), 0, 255);
            var q = new byte[values.Length];
            for (var i = 0; i < q.Length; i++)
                q[i] = (byte)Math.Clamp(MathF.Round(values[i] / scale) + zeroPoint, 0, 255);
            return new QuantizedTensor(TensorData.FromArray(q, dims), scale, TensorData.Scalar(zeroPoint));
        }
    }
}
