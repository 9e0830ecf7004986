using Vireo.Onnx;

namespace Vireo.Synthetic.Onnx;

/// <summary>Reproducible random weights, generated while a model file is written.</summary>
public static class SeededTensors
{
    /// <summary>
    /// Float32 values drawn uniformly with mean <paramref name="mean"/> and standard deviation <paramref name="std"/>
    /// from a stream fixed by (<paramref name="seed"/>, <paramref name="name"/>).
    /// </summary>
    public static TensorData Uniform(ulong seed, string name, float std, float mean, params long[] dims) =>
        new SeededTensorData(seed, name, std, mean, dims);

    private sealed class SeededTensorData(ulong seed, string name, float std, float mean, IReadOnlyList<long> dims)
        : GeneratedFloatData<SeededRandom>(dims)
    {
        protected override SeededRandom Start() => new(seed, name);

        protected override void Fill(ref SeededRandom random, Span<float> destination)
        {
            for (var i = 0; i < destination.Length; i++)
                destination[i] = mean + random.NextCentered(std);
        }
    }
}
