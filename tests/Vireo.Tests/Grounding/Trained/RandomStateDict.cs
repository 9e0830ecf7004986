using Vireo.Models.Checkpoints;

namespace Vireo.Tests.Grounding.Trained;

/// <summary>A state dict of seeded random weights, built key by key, in the shapes PyTorch modules store.</summary>
internal sealed class RandomStateDict(int seed)
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<string, CheckpointTensor> _tensors = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, CheckpointTensor> Tensors => _tensors;

    /// <summary>The values by key, for the reference computations.</summary>
    public IReadOnlyDictionary<string, float[]> Values => _tensors.ToDictionary(p => p.Key, p => p.Value.Data);

    public RandomStateDict Tensor(string key, params long[] shape)
    {
        var count = (int)shape.Aggregate(1L, (a, b) => a * b);
        var data = new float[count];
        for (var i = 0; i < count; i++)
            data[i] = (float)(_random.NextDouble() * 2 - 1) * 0.5f;
        _tensors[key] = new CheckpointTensor(shape, data, "FloatStorage");
        return this;
    }

    public RandomStateDict Linear(string prefix, long inFeatures, long outFeatures) =>
        Tensor(prefix + ".weight", outFeatures, inFeatures).Tensor(prefix + ".bias", outFeatures);

    public RandomStateDict LayerNorm(string prefix, long width) => Tensor(prefix + ".weight", width).Tensor(prefix + ".bias", width);

    public RandomStateDict Attention(string prefix, long width) =>
        Tensor(prefix + ".in_proj_weight", 3 * width, width).Tensor(prefix + ".in_proj_bias", 3 * width).Linear(prefix + ".out_proj", width, width);

    public RandomStateDict EncoderLayer(string prefix, long width, long feedForward) =>
        Attention(prefix + ".self_attn", width).Linear(prefix + ".linear1", width, feedForward).Linear(prefix + ".linear2", feedForward, width)
            .LayerNorm(prefix + ".norm1", width).LayerNorm(prefix + ".norm2", width);

    public RandomStateDict DecoderLayer(string prefix, long width, long feedForward) =>
        EncoderLayer(prefix, width, feedForward).Attention(prefix + ".multihead_attn", width).LayerNorm(prefix + ".norm3", width);

    public RandomStateDict Without(string key)
    {
        _tensors.Remove(key);
        return this;
    }

    public float[] Array(int count)
    {
        var data = new float[count];
        for (var i = 0; i < count; i++)
            data[i] = (float)(_random.NextDouble() * 2 - 1);
        return data;
    }
}
