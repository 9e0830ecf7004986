using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Vireo.Onnx;

namespace Vireo.Tests.Onnx;

/// <summary>A tensor fed to or read from ONNX Runtime in tests: values as floats (or longs for ids) and a shape.</summary>
public sealed record TestTensor(float[] Values, long[] Shape)
{
    public int Count => Values.Length;
}

/// <summary>Runs synthetic models through ONNX Runtime (CPU, 1 thread) and converts outputs to floats.</summary>
public static class OrtTestRunner
{
    public static InferenceSession Load(OnnxModel model) => new(model.ToArray(), Options());

    public static InferenceSession Load(string path) => new(path, Options());

    /// <summary>Feeds each input with the element type the session declares (float, float16, int32, int64).</summary>
    public static Dictionary<string, TestTensor> Run(InferenceSession session, params (string Name, TestTensor Tensor)[] inputs)
    {
        var values = new List<OrtValue>();
        try
        {
            foreach (var (name, tensor) in inputs)
            {
                if (!session.InputMetadata.TryGetValue(name, out var meta))
                    throw new ArgumentException($"the model has no input '{name}' (inputs: {string.Join(", ", session.InputNames)})");
                values.Add(Create(meta.ElementDataType, tensor));
            }
            using var options = new RunOptions();
            using var outputs = session.Run(options, [.. inputs.Select(i => i.Name)], values, session.OutputNames);
            var result = new Dictionary<string, TestTensor>();
            for (var i = 0; i < outputs.Count; i++)
                result[session.OutputNames[i]] = Read(outputs[i]);
            return result;
        }
        finally
        {
            foreach (var v in values)
                v.Dispose();
        }
    }

    /// <summary>The model's first output (an encoder's embedding; a Hugging Face text encoder's per-token states come second).</summary>
    public static TestTensor RunSingle(OnnxModel model, params (string Name, TestTensor Tensor)[] inputs)
    {
        using var session = Load(model);
        return Run(session, inputs)[session.OutputNames[0]];
    }

    private static SessionOptions Options() => new() { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };

    private static OrtValue Create(TensorElementType type, TestTensor tensor) => type switch
    {
        TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(tensor.Values, tensor.Shape),
        TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory(tensor.Values.Select(v => new Float16(BitConverter.HalfToUInt16Bits((Half)v))).ToArray(), tensor.Shape),
        TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(tensor.Values.Select(v => (long)v).ToArray(), tensor.Shape),
        TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(tensor.Values.Select(v => (int)v).ToArray(), tensor.Shape),
        _ => throw new NotSupportedException($"test inputs of type {type} are not supported"),
    };

    private static TestTensor Read(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        float[] values = info.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Float16 => [.. value.GetTensorDataAsSpan<Float16>().ToArray().Select(h => (float)BitConverter.UInt16BitsToHalf(h.value))],
            TensorElementType.Int64 => [.. value.GetTensorDataAsSpan<long>().ToArray().Select(v => (float)v)],
            TensorElementType.Int32 => [.. value.GetTensorDataAsSpan<int>().ToArray().Select(v => (float)v)],
            TensorElementType.UInt8 => [.. value.GetTensorDataAsSpan<byte>().ToArray().Select(v => (float)v)],
            _ => throw new NotSupportedException($"test outputs of type {info.ElementDataType} are not supported"),
        };
        return new TestTensor(values, info.Shape);
    }
}
