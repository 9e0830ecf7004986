using System.Globalization;
using Vireo.Onnx;

namespace Vireo.Synthetic.Clip;

/// <summary>What a weight is for; <see cref="RandomClip"/> chooses its scale from it.</summary>
public enum WeightRole
{
    /// <summary>A projection matrix [in, out] (or a convolution kernel): fan-in scaled.</summary>
    Matrix,
    Bias,
    NormGain,
    NormBias,
    Embedding,
}

/// <summary>Supplies a weight tensor by name, dimensions and role.</summary>
public delegate TensorData WeightFactory(string name, long[] dims, WeightRole role);

/// <summary>
/// The two CLIP towers as ONNX graphs, laid out as Hugging Face's CLIPModel exports them (weight names follow
/// its state dict; linear weights are stored [in, out] for MatMul):
/// vision — patch Conv (no bias), class token, position embeddings, pre-LayerNorm, pre-LN blocks,
/// post-LayerNorm of the class token, projection (no bias);
/// text — token + position embeddings, causal pre-LN blocks, final LayerNorm, the hidden state at the
/// end-of-text token (the argmax of the token ids, as CLIP does, so the highest id 49407 must mark it),
/// projection (no bias).
/// Blocks: x + attn(LN1(x)), then x + fc2(QuickGELU(fc1(LN2(x)))); attention scales q by 1/√head_dim.
/// </summary>
internal static class ClipTransformer
{
    /// <summary>The additive mask value for hidden positions (finite, so float16 can hold it).</summary>
    public const float MaskValue = -1e4f;

    public static GraphValue EncodeImage(ModelParts p, VisionTowerConfig c, WeightFactory w, int embedDim, GraphValue pixels)
    {
        var g = p.Graph;
        long width = c.Width;
        var patches = p.PatchConvolution(pixels, "vision_model.embeddings.patch_embedding.weight",
            w("vision_model.embeddings.patch_embedding.weight", [width, 3, c.PatchSize, c.PatchSize], WeightRole.Matrix), c.PatchSize);
        var tokens = g.Transpose(g.Reshape(patches, 0, width, -1), 0, 2, 1);                   // [B, G², W]
        var classToken = g.Reshape(p.Parameter("vision_model.embeddings.class_embedding",
            w("vision_model.embeddings.class_embedding", [width], WeightRole.Embedding)), 1, 1, width);
        var batch = g.Slice(g.Shape(pixels), [0], [1], [0]);
        var classTokens = g.Expand(classToken, g.Concat(0, batch, g.Int64s(1, width)), [pixels[0], 1, width]);
        var x = g.Add(g.Concat(1, classTokens, tokens), p.Parameter("vision_model.embeddings.position_embedding.weight",
            w("vision_model.embeddings.position_embedding.weight", [c.Tokens, width], WeightRole.Embedding)));
        x = LayerNorm(p, w, x, "vision_model.pre_layrnorm", c.Width);
        for (var i = 0; i < c.Layers; i++)
        {
            using (g.Scope("layer" + i.ToString(CultureInfo.InvariantCulture)))
                x = Block(p, w, x, $"vision_model.encoder.layers.{i}", c.Width, c.Heads, c.MlpWidth, mask: null);
        }
        var pooled = g.Gather(x, g.Int64Scalar(0), axis: 1);                                   // class token [B, W]
        pooled = LayerNorm(p, w, pooled, "vision_model.post_layernorm", c.Width);
        return Projection(p, w, pooled, "visual_projection", c.Width, embedDim);
    }

    /// <summary>The projected end-token embedding [B, D] and the states after the final layer norm [B, L, W].</summary>
    public static (GraphValue Embedding, GraphValue TokenStates) EncodeText(ModelParts p, TextTowerConfig c, WeightFactory w, int embedDim, GraphValue ids, GraphValue? attentionMask)
    {
        var g = p.Graph;
        long width = c.Width;
        var length = g.Slice(g.Shape(ids), [1], [2], [0]);                                        // [L] as a 1-D tensor
        var x = p.Embedding(ids, "text_model.embeddings.token_embedding.weight",
            w("text_model.embeddings.token_embedding.weight", [c.VocabSize, width], WeightRole.Embedding));
        var positions = g.Slice(p.Parameter("text_model.embeddings.position_embedding.weight",
                w("text_model.embeddings.position_embedding.weight", [c.ContextLength, width], WeightRole.Embedding)),
            g.Int64s(0), length, g.Int64s(0), [ids[1], width]);
        x = g.Add(x, positions);

        var mask = g.Slice(g.FloatConstant(CausalMask(c.ContextLength), c.ContextLength, c.ContextLength),
            g.Int64s(0, 0), g.Concat(0, length, length), g.Int64s(0, 1), [ids[1], ids[1]]);          // [L, L]
        if (attentionMask is not null)
        {
            // Padding keys are hidden too: (1 − mask) · MaskValue, broadcast as [B, 1, 1, L].
            var keep = g.Cast(attentionMask, p.ComputeType);
            var hidden = g.Mul(g.Sub(g.Scalar(1), keep), g.Scalar(MaskValue));
            mask = g.Add(g.Unsqueeze(hidden, 1, 2), mask);
        }
        for (var i = 0; i < c.Layers; i++)
        {
            using (g.Scope("layer" + i.ToString(CultureInfo.InvariantCulture)))
                x = Block(p, w, x, $"text_model.encoder.layers.{i}", c.Width, c.Heads, c.MlpWidth, mask);
        }
        x = LayerNorm(p, w, x, "text_model.final_layer_norm", c.Width);
        var endOfText = g.ArgMax(g.Cast(ids, OnnxDataType.Int32), axis: 1, keepDims: true);       // [B, 1]
        var pooled = g.GatherND(x, endOfText, batchDims: 1);                                     // [B, W]
        return (Projection(p, w, pooled, "text_projection", c.Width, embedDim), x);
    }

    private static GraphValue Block(ModelParts p, WeightFactory w, GraphValue x, string prefix, int width, int heads, int mlpWidth, GraphValue? mask)
    {
        var g = p.Graph;
        var attended = Attention(p, w, LayerNorm(p, w, x, prefix + ".layer_norm1", width), prefix + ".self_attn", width, heads, mask);
        x = g.Add(x, attended);
        var hidden = g.QuickGelu(Linear(p, w, LayerNorm(p, w, x, prefix + ".layer_norm2", width), prefix + ".mlp.fc1", width, mlpWidth));
        return g.Add(x, Linear(p, w, hidden, prefix + ".mlp.fc2", mlpWidth, width));
    }

    private static GraphValue Attention(ModelParts p, WeightFactory w, GraphValue x, string prefix, int width, int heads, GraphValue? mask)
    {
        var g = p.Graph;
        long headDim = width / heads;
        GraphValue Heads(GraphValue v, params long[] perm) => g.Transpose(g.Reshape(v, 0, 0, heads, headDim), perm);
        var q = Heads(g.Mul(Linear(p, w, x, prefix + ".q_proj", width, width), g.Scalar(1 / MathF.Sqrt(headDim))), 0, 2, 1, 3); // [B, H, T, d]
        var k = Heads(Linear(p, w, x, prefix + ".k_proj", width, width), 0, 2, 3, 1);            // [B, H, d, T]
        var v = Heads(Linear(p, w, x, prefix + ".v_proj", width, width), 0, 2, 1, 3);            // [B, H, T, d]
        var scores = g.MatMul(q, k);                                                             // [B, H, T, T]
        if (mask is not null)
            scores = g.Add(scores, mask);
        var context = g.MatMul(g.Softmax(scores, -1), v);                                        // [B, H, T, d]
        var merged = g.Reshape(g.Transpose(context, 0, 2, 1, 3), 0, 0, width);                   // [B, T, W]
        return Linear(p, w, merged, prefix + ".out_proj", width, width);
    }

    private static GraphValue Linear(ModelParts p, WeightFactory w, GraphValue x, string prefix, int inputs, int outputs) =>
        p.Linear(x, prefix, w(prefix + ".weight", [inputs, outputs], WeightRole.Matrix), w(prefix + ".bias", [outputs], WeightRole.Bias));

    private static GraphValue Projection(ModelParts p, WeightFactory w, GraphValue x, string prefix, int inputs, int outputs) =>
        p.Linear(x, prefix, w(prefix + ".weight", [inputs, outputs], WeightRole.Matrix), bias: null);

    private static GraphValue LayerNorm(ModelParts p, WeightFactory w, GraphValue x, string prefix, int width) =>
        p.Graph.LayerNormalization(x,
            p.Parameter(prefix + ".weight", w(prefix + ".weight", [width], WeightRole.NormGain)),
            p.Parameter(prefix + ".bias", w(prefix + ".bias", [width], WeightRole.NormBias)));

    private static float[] CausalMask(int length)
    {
        var mask = new float[length * length];
        for (var i = 0; i < length; i++)
        {
            for (var j = i + 1; j < length; j++)
                mask[i * length + j] = MaskValue;
        }
        return mask;
    }
}
