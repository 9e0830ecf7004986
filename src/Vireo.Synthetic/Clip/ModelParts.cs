using Vireo.Onnx;

namespace Vireo.Synthetic.Clip;

/// <summary>
/// The weight-carrying layers of a model, emitted in the model's <see cref="WeightPrecision"/>: the same
/// tower code yields the float32, float16 and 8-bit variants.
/// </summary>
internal sealed class ModelParts
{
    internal ModelParts(GraphBuilder graph, WeightPrecision precision, bool signedWeights)
    {
        Graph = graph;
        Precision = precision;
        SignedWeights = signedWeights;
        graph.FloatType = precision == WeightPrecision.Float16 ? OnnxDataType.Float16 : OnnxDataType.Float;
    }

    public GraphBuilder Graph { get; }

    public WeightPrecision Precision { get; }

    /// <summary>For <see cref="WeightPrecision.Int8"/>: int8 (true) or uint8 (false) weights.</summary>
    public bool SignedWeights { get; }

    /// <summary>The float element type the model computes in.</summary>
    public OnnxDataType ComputeType => Graph.FloatType;

    /// <summary>A float parameter kept unquantized (norm gains, biases, position embeddings), in the compute type.</summary>
    public GraphValue Parameter(string name, TensorData data) =>
        Graph.Initializer(name, ComputeType == OnnxDataType.Float16 ? data.ToFloat16() : data);

    /// <summary>x · W (+ b) with W stored as [in, out] under "<paramref name="prefix"/>.weight" and b under "<paramref name="prefix"/>.bias".</summary>
    public GraphValue Linear(GraphValue x, string prefix, TensorData weight, TensorData? bias)
    {
        var g = Graph;
        var name = prefix + ".weight";
        GraphValue y;
        if (Precision == WeightPrecision.Int8)
        {
            var q = WeightQuantizer.Quantize(weight, SignedWeights);
            var (xq, xScale, xZero) = g.DynamicQuantizeLinear(x);
            var product = g.MatMulInteger(xq, g.Initializer(name + "_quantized", q.Values), xZero, g.Initializer(name + "_zero_point", q.ZeroPoint));
            y = Rescale(product, xScale, name, q.Scale);
        }
        else
        {
            y = g.MatMul(x, Parameter(name, weight));
        }
        return bias is null ? y : g.Add(y, Parameter(prefix + ".bias", bias));
    }

    /// <summary>Rows of <paramref name="table"/> [vocab, width] picked by integer <paramref name="ids"/>.</summary>
    public GraphValue Embedding(GraphValue ids, string name, TensorData table)
    {
        var g = Graph;
        if (Precision != WeightPrecision.Int8)
            return g.Gather(Parameter(name, table), ids);
        var q = WeightQuantizer.Quantize(table, SignedWeights);
        var rows = g.Gather(g.Initializer(name + "_quantized", q.Values), ids);
        return g.DequantizeLinear(rows, g.Initializer(name + "_scale", TensorData.Scalar(q.Scale)), g.Initializer(name + "_zero_point", q.ZeroPoint));
    }

    /// <summary>A bias-free convolution with a square kernel and stride equal to the kernel (patch embedding).</summary>
    public GraphValue PatchConvolution(GraphValue x, string name, TensorData kernel, int stride)
    {
        var g = Graph;
        if (Precision != WeightPrecision.Int8)
            return g.Conv(x, Parameter(name, kernel), stride: stride);
        var q = WeightQuantizer.Quantize(kernel, SignedWeights);
        var (xq, xScale, xZero) = g.DynamicQuantizeLinear(x);
        var product = g.ConvInteger(xq, g.Initializer(name + "_quantized", q.Values), xZero, g.Initializer(name + "_zero_point", q.ZeroPoint), stride);
        return Rescale(product, xScale, name, q.Scale);
    }

    private GraphValue Rescale(GraphValue integerProduct, GraphValue activationScale, string name, float weightScale)
    {
        var g = Graph;
        var scale = g.Mul(activationScale, g.Initializer(name + "_scale", TensorData.Scalar(weightScale)));
        return g.Mul(g.Cast(integerProduct, OnnxDataType.Float), scale);
    }
}
