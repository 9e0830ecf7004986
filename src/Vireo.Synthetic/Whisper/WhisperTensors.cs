namespace Vireo.Synthetic.Whisper;

/// <summary>How a tensor's random values are drawn.</summary>
internal enum TensorFill
{
    /// <summary>Weights: zero mean, standard deviation <see cref="WhisperTensor.Scale"/>.</summary>
    Weights,

    /// <summary>Layer-norm gains: about 1.</summary>
    One,

    /// <summary>Biases: about 0.</summary>
    Small,
}

/// <summary>One tensor of a ggml Whisper file: its name as whisper.cpp looks it up and its extents, innermost first.</summary>
internal sealed record WhisperTensor(string Name, int[] Extents, TensorFill Fill, bool IsMatrix, float Scale = 0)
{
    public long ElementCount => Extents.Aggregate(1L, (product, extent) => product * extent);
}

/// <summary>Every tensor whisper.cpp expects for given dimensions, named and shaped as its loader declares them.</summary>
internal static class WhisperTensors
{
    public static IEnumerable<WhisperTensor> For(WhisperDimensions d)
    {
        var s = d.State;
        yield return Weights("encoder.positional_embedding", [s, d.AudioContext], isMatrix: false, fanIn: s);
        yield return Weights("encoder.conv1.weight", [3, d.MelBands, s], isMatrix: true, fanIn: 3 * d.MelBands);
        yield return Bias("encoder.conv1.bias", [1, s]);
        yield return Weights("encoder.conv2.weight", [3, s, s], isMatrix: true, fanIn: 3 * s);
        yield return Bias("encoder.conv2.bias", [1, s]);
        foreach (var tensor in Norm("encoder.ln_post", s))
            yield return tensor;
        for (var layer = 0; layer < d.AudioLayers; layer++)
        {
            foreach (var tensor in Block($"encoder.blocks.{layer}", s, cross: false))
                yield return tensor;
        }
        yield return Weights("decoder.positional_embedding", [s, d.TextContext], isMatrix: false, fanIn: s);
        yield return Weights("decoder.token_embedding.weight", [s, d.Vocabulary], isMatrix: true, fanIn: s);
        foreach (var tensor in Norm("decoder.ln", s))
            yield return tensor;
        for (var layer = 0; layer < d.TextLayers; layer++)
        {
            foreach (var tensor in Block($"decoder.blocks.{layer}", s, cross: true))
                yield return tensor;
        }
    }

    private static IEnumerable<WhisperTensor> Block(string prefix, int s, bool cross)
    {
        foreach (var tensor in Attention(prefix + ".attn", s))
            yield return tensor;
        foreach (var tensor in Norm(prefix + ".attn_ln", s))
            yield return tensor;
        if (cross)
        {
            foreach (var tensor in Attention(prefix + ".cross_attn", s))
                yield return tensor;
            foreach (var tensor in Norm(prefix + ".cross_attn_ln", s))
                yield return tensor;
        }
        foreach (var tensor in Norm(prefix + ".mlp_ln", s))
            yield return tensor;
        yield return Weights(prefix + ".mlp.0.weight", [s, 4 * s], isMatrix: true, fanIn: s);
        yield return Bias(prefix + ".mlp.0.bias", [4 * s]);
        yield return Weights(prefix + ".mlp.2.weight", [4 * s, s], isMatrix: true, fanIn: 4 * s);
        yield return Bias(prefix + ".mlp.2.bias", [s]);
    }

    /// <summary>Whisper's attention has no key bias.</summary>
    private static IEnumerable<WhisperTensor> Attention(string prefix, int s)
    {
        yield return Weights(prefix + ".query.weight", [s, s], isMatrix: true, fanIn: s);
        yield return Bias(prefix + ".query.bias", [s]);
        yield return Weights(prefix + ".key.weight", [s, s], isMatrix: true, fanIn: s);
        yield return Weights(prefix + ".value.weight", [s, s], isMatrix: true, fanIn: s);
        yield return Bias(prefix + ".value.bias", [s]);
        yield return Weights(prefix + ".out.weight", [s, s], isMatrix: true, fanIn: s);
        yield return Bias(prefix + ".out.bias", [s]);
    }

    private static IEnumerable<WhisperTensor> Norm(string prefix, int s)
    {
        yield return new WhisperTensor(prefix + ".weight", [s], TensorFill.One, IsMatrix: false);
        yield return Bias(prefix + ".bias", [s]);
    }

    private static WhisperTensor Weights(string name, int[] extents, bool isMatrix, int fanIn) =>
        new(name, extents, TensorFill.Weights, isMatrix, 1f / MathF.Sqrt(fanIn));

    private static WhisperTensor Bias(string name, int[] extents) => new(name, extents, TensorFill.Small, IsMatrix: false);
}
