using Vireo.Onnx;
using Vireo.Synthetic.Clip;

namespace Vireo.Tests.Synthetic;

/// <summary>
/// A plain C# forward pass of the CLIP towers (one example at a time, double accumulation), reading the
/// weights by name from a float32 model's initializers: the independent check of the generated graphs.
/// </summary>
public sealed class ReferenceClip(OnnxModel model, ClipArchitecture architecture)
{
    private readonly Dictionary<string, float[]> _weights = model.Graph.Initializers.ToDictionary(t => t.Name, t => t.Data.ToFloatArray());

    private float[] W(string name) => _weights.TryGetValue(name, out var w) ? w : throw new KeyNotFoundException($"no initializer '{name}' in the model");

    /// <summary>Pixels [3, S, S] → image embedding [D] (not normalised).</summary>
    public float[] EncodeImage(float[] pixels)
    {
        var c = architecture.Vision;
        int s = c.ImageSize, p = c.PatchSize, g = c.GridSize, width = c.Width;
        var kernel = W("vision_model.embeddings.patch_embedding.weight");
        var x = new double[c.Tokens, width];
        var cls = W("vision_model.embeddings.class_embedding");
        for (var o = 0; o < width; o++)
            x[0, o] = cls[o];
        for (var gy = 0; gy < g; gy++)
        {
            for (var gx = 0; gx < g; gx++)
            {
                for (var o = 0; o < width; o++)
                {
                    double sum = 0;
                    for (var ch = 0; ch < 3; ch++)
                    {
                        for (var ky = 0; ky < p; ky++)
                        {
                            for (var kx = 0; kx < p; kx++)
                                sum += kernel[((o * 3 + ch) * p + ky) * p + kx] * pixels[(ch * s + gy * p + ky) * s + gx * p + kx];
                        }
                    }
                    x[1 + gy * g + gx, o] = sum;
                }
            }
        }
        AddPositions(x, W("vision_model.embeddings.position_embedding.weight"));
        x = LayerNorm(x, "vision_model.pre_layrnorm");
        for (var i = 0; i < c.Layers; i++)
            x = Block(x, $"vision_model.encoder.layers.{i}", c.Heads, mask: null);
        var pooled = LayerNorm(Row(x, 0), "vision_model.post_layernorm");
        return ToFloat(Linear(pooled, "visual_projection", bias: false));
    }

    /// <summary>Token ids [L] (and an optional 0/1 attention mask) → text embedding [D] (not normalised).</summary>
    public float[] EncodeText(long[] ids, long[]? attentionMask = null)
    {
        var c = architecture.Text;
        var length = ids.Length;
        var table = W("text_model.embeddings.token_embedding.weight");
        var x = new double[length, c.Width];
        for (var t = 0; t < length; t++)
        {
            for (var o = 0; o < c.Width; o++)
                x[t, o] = table[ids[t] * c.Width + o];
        }
        AddPositions(x, W("text_model.embeddings.position_embedding.weight"));
        var mask = new double[length, length];
        for (var q = 0; q < length; q++)
        {
            for (var k = 0; k < length; k++)
                mask[q, k] = (k > q ? ClipTransformer.MaskValue : 0) + (attentionMask is not null && attentionMask[k] == 0 ? ClipTransformer.MaskValue : 0);
        }
        for (var i = 0; i < c.Layers; i++)
            x = Block(x, $"text_model.encoder.layers.{i}", c.Heads, mask);
        x = LayerNorm(x, "text_model.final_layer_norm");
        var eot = Array.IndexOf(ids, ids.Max());
        return ToFloat(Linear(Row(x, eot), "text_projection", bias: false));
    }

    private double[,] Block(double[,] x, string prefix, int heads, double[,]? mask)
    {
        x = Add(x, Attention(LayerNorm(x, prefix + ".layer_norm1"), prefix + ".self_attn", heads, mask));
        var hidden = Linear(LayerNorm(x, prefix + ".layer_norm2"), prefix + ".mlp.fc1", bias: true);
        for (var i = 0; i < hidden.GetLength(0); i++)
        {
            for (var j = 0; j < hidden.GetLength(1); j++)
                hidden[i, j] *= 1 / (1 + Math.Exp(-1.702 * hidden[i, j]));
        }
        return Add(x, Linear(hidden, prefix + ".mlp.fc2", bias: true));
    }

    private double[,] Attention(double[,] x, string prefix, int heads, double[,]? mask)
    {
        var q = Linear(x, prefix + ".q_proj", bias: true);
        var k = Linear(x, prefix + ".k_proj", bias: true);
        var v = Linear(x, prefix + ".v_proj", bias: true);
        int tokens = x.GetLength(0), width = x.GetLength(1), d = width / heads;
        var context = new double[tokens, width];
        for (var h = 0; h < heads; h++)
        {
            for (var i = 0; i < tokens; i++)
            {
                var scores = new double[tokens];
                for (var j = 0; j < tokens; j++)
                {
                    double dot = 0;
                    for (var e = 0; e < d; e++)
                        dot += q[i, h * d + e] * k[j, h * d + e];
                    scores[j] = dot / Math.Sqrt(d) + (mask?[i, j] ?? 0);
                }
                var max = scores.Max();
                var sum = scores.Sum(s => Math.Exp(s - max));
                for (var j = 0; j < tokens; j++)
                {
                    var weight = Math.Exp(scores[j] - max) / sum;
                    for (var e = 0; e < d; e++)
                        context[i, h * d + e] += weight * v[j, h * d + e];
                }
            }
        }
        return Linear(context, prefix + ".out_proj", bias: true);
    }

    private double[,] Linear(double[,] x, string prefix, bool bias)
    {
        var w = W(prefix + ".weight");
        var b = bias ? W(prefix + ".bias") : null;
        int rows = x.GetLength(0), inputs = x.GetLength(1), outputs = w.Length / inputs;
        var y = new double[rows, outputs];
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < outputs; o++)
            {
                double sum = b?[o] ?? 0;
                for (var i = 0; i < inputs; i++)
                    sum += x[r, i] * w[i * outputs + o];
                y[r, o] = sum;
            }
        }
        return y;
    }

    private double[,] LayerNorm(double[,] x, string prefix)
    {
        var gain = W(prefix + ".weight");
        var shift = W(prefix + ".bias");
        int rows = x.GetLength(0), width = x.GetLength(1);
        var y = new double[rows, width];
        for (var r = 0; r < rows; r++)
        {
            double mean = 0, variance = 0;
            for (var i = 0; i < width; i++)
                mean += x[r, i] / width;
            for (var i = 0; i < width; i++)
                variance += (x[r, i] - mean) * (x[r, i] - mean) / width;
            for (var i = 0; i < width; i++)
                y[r, i] = (x[r, i] - mean) / Math.Sqrt(variance + 1e-5) * gain[i] + shift[i];
        }
        return y;
    }

    private static void AddPositions(double[,] x, float[] positions)
    {
        for (var t = 0; t < x.GetLength(0); t++)
        {
            for (var o = 0; o < x.GetLength(1); o++)
                x[t, o] += positions[t * x.GetLength(1) + o];
        }
    }

    private static double[,] Add(double[,] a, double[,] b)
    {
        var y = (double[,])a.Clone();
        for (var i = 0; i < a.GetLength(0); i++)
        {
            for (var j = 0; j < a.GetLength(1); j++)
                y[i, j] += b[i, j];
        }
        return y;
    }

    private static double[,] Row(double[,] x, int row)
    {
        var y = new double[1, x.GetLength(1)];
        for (var j = 0; j < x.GetLength(1); j++)
            y[0, j] = x[row, j];
        return y;
    }

    private static float[] ToFloat(double[,] row)
    {
        var y = new float[row.GetLength(1)];
        for (var j = 0; j < y.Length; j++)
            y[j] = (float)row[0, j];
        return y;
    }
}
