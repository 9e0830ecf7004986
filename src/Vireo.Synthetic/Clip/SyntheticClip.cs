using System.Text.Json.Nodes;
using Vireo.Onnx;

namespace Vireo.Synthetic.Clip;

/// <summary>
/// A CLIP-family model whose encoders can be written as ONNX files in any signature and weight precision:
/// <see cref="RandomClip"/> (the real architecture with seeded random weights) or
/// <see cref="Concepts.ConceptClip"/> (hand-built encoders with known meaning).
/// </summary>
public abstract class SyntheticClip
{
    private protected SyntheticClip()
    {
    }

    public abstract string Name { get; }

    public abstract int EmbedDim { get; }

    /// <summary>The square input size the vision encoder expects (after resize and centre crop).</summary>
    public abstract int ImageSize { get; }

    public virtual int ContextLength => ClipArchitecture.ClipContextLength;

    public virtual int VocabSize => ClipArchitecture.ClipVocabSize;

    /// <summary>exp(logit_scale) of the combined model: CLIP's trained value, 100.</summary>
    public virtual float LogitScale => 100f;

    /// <summary>Whether the vision encoder has a convolution (then its 8-bit variant stores uint8 weights).</summary>
    private protected abstract bool VisionHasConvolution { get; }

    /// <summary>Normalised pixels [B, 3, S, S] in the compute type → image embedding [B, D].</summary>
    private protected abstract GraphValue EncodeImage(ModelParts parts, GraphValue pixels);

    /// <summary>The width of the text tower's per-token states.</summary>
    public abstract int TextWidth { get; }

    /// <summary>
    /// Token ids [B, L] (int32 or int64) and an optional int64 attention mask [B, L] → text embedding [B, D] and the
    /// per-token states [B, L, <see cref="TextWidth"/>] it was pooled from.
    /// </summary>
    private protected abstract (GraphValue Embedding, GraphValue TokenStates) EncodeText(ModelParts parts, GraphValue ids, GraphValue? attentionMask);

    /// <summary>Hugging Face <c>config.json</c> (projection_dim, text_config, vision_config).</summary>
    public abstract JsonObject HuggingFaceConfig();

    /// <summary>immich / open_clip <c>config.json</c> (embed_dim, vision_cfg, text_cfg).</summary>
    public abstract JsonObject ImmichConfig();

    public OnnxModel VisionModel(EncoderSignature signature, WeightPrecision precision = WeightPrecision.Float32)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var parts = new ModelParts(new GraphBuilder(Name + "-vision"), precision, signedWeights: !VisionHasConvolution);
        var g = parts.Graph;
        var input = g.Input(signature.InputName, signature.InputType, [.. signature.InputShape]);
        var embedding = EncodeImage(parts, g.Cast(input, parts.ComputeType));
        return Finish(parts, embedding, signature, $"{Name} image encoder ({precision})");
    }

    public OnnxModel TextModel(EncoderSignature signature, WeightPrecision precision = WeightPrecision.Float32)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var parts = new ModelParts(new GraphBuilder(Name + "-text"), precision, signedWeights: true);
        var g = parts.Graph;
        var ids = g.Input(signature.InputName, signature.InputType, [.. signature.InputShape]);
        var (embedding, states) = EncodeText(parts, ids, attentionMask: null);
        AddEmbeddingOutput(parts, embedding, signature);
        // Second, as in transformers.js exports: text_embeds, then last_hidden_state.
        if (signature.TokenStatesName is { } statesName)
            g.Output(g.Cast(states, signature.OutputType), statesName, signature.InputShape[0], signature.InputShape[1], TextWidth);
        return g.ToModel($"{Name} text encoder ({precision})");
    }

    /// <summary>
    /// The combined Hugging Face <c>model.onnx</c>: inputs input_ids, pixel_values, attention_mask; outputs
    /// logits_per_image [image_batch_size, text_batch_size], logits_per_text, text_embeds and image_embeds
    /// (both L2-normalised, as CLIPModel returns them).
    /// </summary>
    public OnnxModel CombinedModel(WeightPrecision precision = WeightPrecision.Float32, bool float16Io = false)
    {
        var parts = new ModelParts(new GraphBuilder(Name + "-clip"), precision, signedWeights: !VisionHasConvolution);
        var g = parts.Graph;
        var io = float16Io ? OnnxDataType.Float16 : OnnxDataType.Float;
        var ids = g.Input("input_ids", OnnxDataType.Int64, "text_batch_size", "sequence_length");
        var pixels = g.Input("pixel_values", io, "image_batch_size", "num_channels", "height", "width");
        var mask = g.Input("attention_mask", OnnxDataType.Int64, "text_batch_size", "sequence_length");
        GraphValue text, image;
        using (g.Scope("text"))
            text = L2Normalize(g, EncodeText(parts, ids, mask).Embedding);
        using (g.Scope("vision"))
            image = L2Normalize(g, EncodeImage(parts, g.Cast(pixels, parts.ComputeType)));
        var logitsPerText = g.Mul(g.MatMul(text, g.Transpose(image, 1, 0)), g.Scalar(LogitScale));
        g.Output(g.Cast(g.Transpose(logitsPerText, 1, 0), io), "logits_per_image", "image_batch_size", "text_batch_size");
        g.Output(g.Cast(logitsPerText, io), "logits_per_text", "text_batch_size", "image_batch_size");
        g.Output(g.Cast(text, io), "text_embeds", "text_batch_size", EmbedDim);
        g.Output(g.Cast(image, io), "image_embeds", "image_batch_size", EmbedDim);
        return g.ToModel($"{Name} CLIP model ({precision})");
    }

    private static OnnxModel Finish(ModelParts parts, GraphValue embedding, EncoderSignature signature, string description)
    {
        AddEmbeddingOutput(parts, embedding, signature);
        return parts.Graph.ToModel(description);
    }

    private static void AddEmbeddingOutput(ModelParts parts, GraphValue embedding, EncoderSignature signature)
    {
        var g = parts.Graph;
        if (signature.NormalizeOutput)
            embedding = L2Normalize(g, embedding);
        g.Output(g.Cast(embedding, signature.OutputType), signature.OutputName, [.. signature.OutputShape]);
    }

    /// <summary>x / max(‖x‖₂, 1e-6) along the last axis (a zero vector stays zero).</summary>
    internal static GraphValue L2Normalize(GraphBuilder g, GraphValue x)
    {
        var norm = g.Sqrt(g.ReduceSum(g.Mul(x, x), [-1], keepDims: true));
        return g.Div(x, g.Max(norm, g.Scalar(1e-6f)));
    }
}
