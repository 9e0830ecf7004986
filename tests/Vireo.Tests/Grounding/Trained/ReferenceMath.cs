namespace Vireo.Tests.Grounding.Trained;

/// <summary>
/// Plain C# (double accumulation) versions of the PyTorch layers the network builder rebuilds, to check the graphs
/// against. Matrices are row-major float arrays of [rows, columns].
/// </summary>
internal static class ReferenceMath
{
    /// <summary>x [rows, in] · Wᵀ + b with W [out, in] as PyTorch stores it.</summary>
    public static float[] Linear(float[] x, int rows, float[] weight, float[] bias, int weightOffset = 0, int biasOffset = 0, int? outFeatures = null)
    {
        var output = outFeatures ?? bias.Length;
        var input = x.Length / rows;
        var result = new float[rows * output];
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < output; o++)
            {
                double sum = bias[biasOffset + o];
                for (var i = 0; i < input; i++)
                    sum += x[r * input + i] * (double)weight[weightOffset + o * input + i];
                result[r * output + o] = (float)sum;
            }
        }
        return result;
    }

    public static float[] LayerNorm(float[] x, int rows, float[] gamma, float[] beta)
    {
        var width = gamma.Length;
        var result = new float[x.Length];
        for (var r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * width, width);
            double mean = 0, variance = 0;
            foreach (var v in row)
                mean += v;
            mean /= width;
            foreach (var v in row)
                variance += (v - mean) * (v - mean);
            variance /= width;
            for (var i = 0; i < width; i++)
                result[r * width + i] = (float)((row[i] - mean) / Math.Sqrt(variance + 1e-5) * gamma[i] + beta[i]);
        }
        return result;
    }

    public static float[] Add(float[] a, float[] b)
    {
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
            result[i] = a[i] + b[i];
        return result;
    }

    public static float[] Relu(float[] x)
    {
        var result = new float[x.Length];
        for (var i = 0; i < x.Length; i++)
            result[i] = Math.Max(0, x[i]);
        return result;
    }

    /// <summary><c>nn.MultiheadAttention</c> with packed in_proj weights, batch 1.</summary>
    public static float[] MultiheadAttention(IReadOnlyDictionary<string, float[]> w, string prefix, float[] query, float[] key, float[] value, int heads, int width)
    {
        int lq = query.Length / width, lk = key.Length / width, hd = width / heads;
        var inW = w[prefix + ".in_proj_weight"];
        var inB = w[prefix + ".in_proj_bias"];
        var q = Linear(query, lq, inW, inB, 0, 0, width);
        var k = Linear(key, lk, inW, inB, width * width, width, width);
        var v = Linear(value, lk, inW, inB, 2 * width * width, 2 * width, width);
        var merged = new float[lq * width];
        var scores = new double[lk];
        for (var h = 0; h < heads; h++)
        {
            for (var i = 0; i < lq; i++)
            {
                var max = double.NegativeInfinity;
                for (var j = 0; j < lk; j++)
                {
                    double s = 0;
                    for (var c = 0; c < hd; c++)
                        s += q[i * width + h * hd + c] * (double)k[j * width + h * hd + c];
                    scores[j] = s / Math.Sqrt(hd);
                    max = Math.Max(max, scores[j]);
                }
                double total = 0;
                for (var j = 0; j < lk; j++)
                    total += scores[j] = Math.Exp(scores[j] - max);
                for (var c = 0; c < hd; c++)
                {
                    double sum = 0;
                    for (var j = 0; j < lk; j++)
                        sum += scores[j] / total * v[j * width + h * hd + c];
                    merged[i * width + h * hd + c] = (float)sum;
                }
            }
        }
        return Linear(merged, lq, w[prefix + ".out_proj.weight"], w[prefix + ".out_proj.bias"]);
    }

    public static float[] FeedForward(IReadOnlyDictionary<string, float[]> w, string prefix, float[] x, int rows) =>
        Linear(Relu(Linear(x, rows, w[prefix + ".linear1.weight"], w[prefix + ".linear1.bias"])), rows, w[prefix + ".linear2.weight"], w[prefix + ".linear2.bias"]);

    public static float[] EncoderLayer(IReadOnlyDictionary<string, float[]> w, string prefix, float[] src, float[] pos, int heads, int width)
    {
        var rows = src.Length / width;
        var qk = Add(src, pos);
        var x = LayerNorm(Add(src, MultiheadAttention(w, prefix + ".self_attn", qk, qk, src, heads, width)), rows, w[prefix + ".norm1.weight"], w[prefix + ".norm1.bias"]);
        return LayerNorm(Add(x, FeedForward(w, prefix, x, rows)), rows, w[prefix + ".norm2.weight"], w[prefix + ".norm2.bias"]);
    }

    public static float[] DecoderLayer(IReadOnlyDictionary<string, float[]> w, string prefix, float[] tgt, float[] memory, float[] pos, float[] queryPos, int heads, int width)
    {
        var rows = tgt.Length / width;
        var qk = Add(tgt, queryPos);
        var x = LayerNorm(Add(tgt, MultiheadAttention(w, prefix + ".self_attn", qk, qk, tgt, heads, width)), rows, w[prefix + ".norm1.weight"], w[prefix + ".norm1.bias"]);
        var cross = MultiheadAttention(w, prefix + ".multihead_attn", Add(x, queryPos), Add(memory, pos), memory, heads, width);
        x = LayerNorm(Add(x, cross), rows, w[prefix + ".norm2.weight"], w[prefix + ".norm2.bias"]);
        return LayerNorm(Add(x, FeedForward(w, prefix, x, rows)), rows, w[prefix + ".norm3.weight"], w[prefix + ".norm3.bias"]);
    }

    /// <summary>PositionEmbeddingSine(features, normalize=True) of <paramref name="length"/> valid positions, in double.</summary>
    public static float[] SinePositions(int length, int features)
    {
        var result = new float[length * features];
        for (var i = 0; i < length; i++)
        {
            var x = (i + 1) / (length + 1e-6) * 2 * Math.PI;
            for (var k = 0; k < features; k++)
            {
                var angle = x / Math.Pow(10000, 2.0 * (k / 2) / features);
                result[i * features + k] = (float)(k % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle));
            }
        }
        return result;
    }
}
