using System.Text.Json.Nodes;
using Vireo.Onnx;
using Vireo.Synthetic.Onnx;

namespace Vireo.Synthetic.Clip;

/// <summary>
/// A CLIP model with the real architecture (<see cref="ClipArchitecture"/>) and random weights from a fixed
/// seed. Each weight is a function of (seed, name) only, generated while the file is written, so a
/// ViT-B/32-sized model streams to disk without being held in memory. Scales keep activations finite:
/// matrices have standard deviation 1/√fan_in, embeddings 0.5, biases 0.02, norm gains 1 ± 0.1.
/// </summary>
public sealed class RandomClip : SyntheticClip
{
    public RandomClip(ClipArchitecture architecture, ulong seed = 20240531)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validate();
        Architecture = architecture;
        Seed = seed;
    }

    public ClipArchitecture Architecture { get; }

    public ulong Seed { get; }

    public override string Name => Architecture.Name;

    public override int EmbedDim => Architecture.EmbedDim;

    public override int ImageSize => Architecture.Vision.ImageSize;

    public override int ContextLength => Architecture.Text.ContextLength;

    public override int VocabSize => Architecture.Text.VocabSize;

    private protected override bool VisionHasConvolution => true;

    /// <summary>The seeded tensor for a weight name, dimensions and role.</summary>
    public TensorData Weight(string name, long[] dims, WeightRole role)
    {
        ArgumentNullException.ThrowIfNull(dims);
        return role switch
        {
            WeightRole.Matrix => SeededTensors.Uniform(Seed, name, 1 / MathF.Sqrt(FanIn(dims)), 0, dims),
            WeightRole.Bias => SeededTensors.Uniform(Seed, name, 0.02f, 0, dims),
            WeightRole.NormGain => SeededTensors.Uniform(Seed, name, 0.1f, 1, dims),
            WeightRole.NormBias => SeededTensors.Uniform(Seed, name, 0.05f, 0, dims),
            WeightRole.Embedding => SeededTensors.Uniform(Seed, name, 0.5f, 0, dims),
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
        };
    }

    private protected override GraphValue EncodeImage(ModelParts parts, GraphValue pixels) =>
        ClipTransformer.EncodeImage(parts, Architecture.Vision, Weight, EmbedDim, pixels);

    public override int TextWidth => Architecture.Text.Width;

    private protected override (GraphValue Embedding, GraphValue TokenStates) EncodeText(ModelParts parts, GraphValue ids, GraphValue? attentionMask) =>
        ClipTransformer.EncodeText(parts, Architecture.Text, Weight, EmbedDim, ids, attentionMask);

    public override JsonObject HuggingFaceConfig()
    {
        var v = Architecture.Vision;
        var t = Architecture.Text;
        return new JsonObject
        {
            ["architectures"] = new JsonArray("CLIPModel"),
            ["model_type"] = "clip",
            ["projection_dim"] = EmbedDim,
            ["logit_scale_init_value"] = 2.6592,
            ["text_config"] = new JsonObject
            {
                ["model_type"] = "clip_text_model",
                ["vocab_size"] = t.VocabSize,
                ["max_position_embeddings"] = t.ContextLength,
                ["hidden_size"] = t.Width,
                ["intermediate_size"] = t.MlpWidth,
                ["num_hidden_layers"] = t.Layers,
                ["num_attention_heads"] = t.Heads,
                ["projection_dim"] = EmbedDim,
                ["hidden_act"] = "quick_gelu",
                ["bos_token_id"] = ClipArchitecture.ClipVocabSize - 2,
                ["eos_token_id"] = ClipArchitecture.ClipVocabSize - 1,
                ["pad_token_id"] = 1,
            },
            ["vision_config"] = new JsonObject
            {
                ["model_type"] = "clip_vision_model",
                ["image_size"] = v.ImageSize,
                ["patch_size"] = v.PatchSize,
                ["num_channels"] = 3,
                ["hidden_size"] = v.Width,
                ["intermediate_size"] = v.MlpWidth,
                ["num_hidden_layers"] = v.Layers,
                ["num_attention_heads"] = v.Heads,
                ["projection_dim"] = EmbedDim,
                ["hidden_act"] = "quick_gelu",
            },
        };
    }

    public override JsonObject ImmichConfig()
    {
        var v = Architecture.Vision;
        var t = Architecture.Text;
        return new JsonObject
        {
            ["embed_dim"] = EmbedDim,
            ["vision_cfg"] = new JsonObject
            {
                ["image_size"] = v.ImageSize,
                ["layers"] = v.Layers,
                ["width"] = v.Width,
                ["patch_size"] = v.PatchSize,
            },
            ["text_cfg"] = new JsonObject
            {
                ["context_length"] = t.ContextLength,
                ["vocab_size"] = t.VocabSize,
                ["width"] = t.Width,
                ["heads"] = t.Heads,
                ["layers"] = t.Layers,
            },
        };
    }

    private static float FanIn(long[] dims)
    {
        // [in, out] matrices: dims[0]; convolution kernels [out, in, kh, kw]: in·kh·kw.
        if (dims.Length == 4)
            return dims[1] * dims[2] * dims[3];
        return dims[0];
    }
}
