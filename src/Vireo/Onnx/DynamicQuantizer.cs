using System.Globalization;
using System.Numerics.Tensors;

namespace Vireo.Onnx;

/// <summary>How <see cref="DynamicQuantizer"/> quantizes weights.</summary>
public sealed record QuantizationOptions
{
    /// <summary>
    /// One scale per output column of each weight matrix (true, default) or one per matrix (false, as ONNX Runtime's
    /// quantize_dynamic and the transformers.js exports do). Per-column scales cost nothing at run time and keep a
    /// column of small weights from being crushed by another column's outliers.
    /// </summary>
    public bool PerColumn { get; init; } = true;
}

/// <summary>What <see cref="DynamicQuantizer.Quantize"/> did to a model.</summary>
/// <param name="MatMuls">MatMul nodes with a constant weight rewritten to 8-bit.</param>
/// <param name="Gemms">Gemm nodes rewritten to 8-bit.</param>
/// <param name="KeptFloat">MatMul / Gemm nodes left in float (both operands computed, or a layout that is not supported).</param>
/// <param name="WeightBytesBefore">Initializer bytes of the input model.</param>
/// <param name="WeightBytesAfter">Initializer bytes of the quantized model.</param>
public sealed record QuantizationReport(int MatMuls, int Gemms, int KeptFloat, long WeightBytesBefore, long WeightBytesAfter)
{
    public int Quantized => MatMuls + Gemms;
}

/// <summary>
/// Dynamic 8-bit quantization of a float32 model's matrix products, in the form ONNX Runtime's quantize_dynamic and
/// the transformers.js <c>_quantized</c> exports use: every MatMul / Gemm whose weight is a constant initializer
/// becomes DynamicQuantizeLinear (the activation, uint8, its range measured per call; one per activation, shared by
/// the products that read it) → MatMulInteger with int8 weights (symmetric, zero point 0) → Cast → Mul by the two
/// scales (→ Add of a Gemm's bias). ONNX Runtime fuses this chain into its integer kernels (u8·s8, VNNI where the CPU
/// has it); any ONNX runtime can run it unfused. Everything else (convolutions, normalisations, the attention
/// products of two activations) stays as it was.
/// </summary>
public static class DynamicQuantizer
{
    private const int MinimumOpset = 11; // DynamicQuantizeLinear

    /// <exception cref="OnnxFormatException">The model's default opset is older than 11; <paramref name="name"/> names it.</exception>
    public static (OnnxModel Model, QuantizationReport Report) Quantize(OnnxModel model, string name, QuantizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new QuantizationOptions();
        var opset = model.Opsets.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
        if (opset < MinimumOpset)
            throw new OnnxFormatException(name, $"the model imports ONNX opset {opset}; 8-bit dynamic quantization needs opset {MinimumOpset} or later (re-export it with a newer opset)");
        var rewriter = new Rewriter(model.Graph, options);
        var graph = rewriter.Run();
        var report = new QuantizationReport(rewriter.MatMuls, rewriter.Gemms, rewriter.KeptFloat, model.Graph.WeightBytes, graph.WeightBytes);
        var quantized = new OnnxModel(graph, model.Opsets, Math.Max(model.IrVersion, 7))
        {
            ProducerName = "vireo",
            ProducerVersion = "0.1",
            DocString = string.Create(CultureInfo.InvariantCulture,
                $"8-bit dynamic quantization of {(model.ProducerName.Length > 0 ? model.ProducerName + "'s " : "")}float32 model: {report.Quantized} matrix products, int8 weights {(options.PerColumn ? "per column" : "per tensor")}"),
            PreservedFields = model.PreservedFields,
        };
        return (quantized, report);
    }

    /// <summary>Symmetric int8 quantization of <paramref name="weights"/> [rows, columns] (row-major): per column or one scale.</summary>
    internal static (sbyte[] Values, float[] Scales) QuantizeWeights(float[] weights, int rows, int columns, bool perColumn)
    {
        var scales = new float[perColumn ? columns : 1];
        if (perColumn)
        {
            for (var r = 0; r < rows; r++)
            {
                var row = weights.AsSpan(r * columns, columns);
                for (var c = 0; c < columns; c++)
                    scales[c] = Math.Max(scales[c], Math.Abs(row[c]));
            }
        }
        else
        {
            scales[0] = weights.Length == 0 ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(weights));
        }
        for (var i = 0; i < scales.Length; i++)
            scales[i] = scales[i] > 0 && float.IsFinite(scales[i]) ? scales[i] / 127f : 1f;
        var values = new sbyte[weights.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var i = r * columns + c;
                values[i] = (sbyte)Math.Clamp(MathF.Round(weights[i] / scales[perColumn ? c : 0]), -127, 127);
            }
        }
        return (values, scales);
    }

    private sealed class Rewriter(OnnxGraph graph, QuantizationOptions options)
    {
        private readonly Dictionary<string, OnnxTensor> _initializers = graph.Initializers.ToDictionary(t => t.Name, StringComparer.Ordinal);
        private readonly HashSet<string> _names = AllNames(graph);
        private readonly Dictionary<string, (string Values, string Scale, string ZeroPoint)> _quantizedActivations = new(StringComparer.Ordinal);
        private readonly List<OnnxNode> _nodes = [];
        private readonly List<OnnxTensor> _added = [];
        private readonly HashSet<string> _replacedWeights = new(StringComparer.Ordinal);

        public int MatMuls { get; private set; }

        public int Gemms { get; private set; }

        public int KeptFloat { get; private set; }

        public OnnxGraph Run()
        {
            foreach (var node in graph.Nodes)
            {
                if (node.Domain is not ("" or "ai.onnx") || node.OpType is not ("MatMul" or "Gemm"))
                {
                    _nodes.Add(node);
                    continue;
                }
                if (!TryRewrite(node))
                {
                    KeptFloat++;
                    _nodes.Add(node);
                }
            }
            // A weight that a kept node (or a subgraph, which may read outer values) still uses stays.
            var used = new HashSet<string>(_nodes.SelectMany(n => n.Inputs), StringComparer.Ordinal);
            used.UnionWith(graph.Outputs.Select(o => o.Name));
            var hasSubgraphs = graph.Nodes.Any(n => n.Attributes.Any(a => a.Type is OnnxAttributeType.Graph or OnnxAttributeType.Graphs));
            var initializers = graph.Initializers.Where(t => hasSubgraphs || !_replacedWeights.Contains(t.Name) || used.Contains(t.Name)).Concat(_added);
            return new OnnxGraph(graph.Name, _nodes, [.. initializers], graph.Inputs, graph.Outputs, graph.ValueInfo) { PreservedFields = graph.PreservedFields };
        }

        private bool TryRewrite(OnnxNode node)
        {
            if (node.Inputs.Count < 2 || node.Outputs.Count != 1 || _initializers.ContainsKey(node.Inputs[0]) || !IsFloatMatrix(node.Inputs[1], out var weight))
                return false;
            var rows = (int)weight.Data.Dims[0];
            var columns = (int)weight.Data.Dims[1];
            var values = weight.Data.ToFloatArray();
            OnnxTensor? bias = null;
            if (node.OpType == "Gemm")
            {
                if ((node.Attribute("transA")?.IntValue ?? 0) != 0)
                    return false;
                var alpha = node.Attribute("alpha")?.FloatValue ?? 1f;
                var beta = node.Attribute("beta")?.FloatValue ?? 1f;
                string? c = node.Inputs.Count > 2 && node.Inputs[2].Length > 0 ? node.Inputs[2] : null;
                if (c is not null && !(_initializers.TryGetValue(c, out bias) && OnnxDataTypes.IsFloatingPoint(bias.Data.DataType)))
                    return false; // a bias computed at run time: rare, left in float
                if ((node.Attribute("transB")?.IntValue ?? 0) != 0)
                {
                    values = Transposed(values, rows, columns);
                    (rows, columns) = (columns, rows);
                }
                if (alpha != 1f)
                    TensorPrimitives.Multiply(values, alpha, values);
                if (bias is not null && beta != 1f)
                {
                    var scaled = bias.Data.ToFloatArray();
                    TensorPrimitives.Multiply(scaled, beta, scaled);
                    bias = Add(node.Inputs[2] + "_scaled", TensorData.FromArray(scaled, [.. bias.Data.Dims]));
                }
                Gemms++;
            }
            else
            {
                MatMuls++;
            }
            _replacedWeights.Add(weight.Name);
            var (q, scales) = QuantizeWeights(values, rows, columns, options.PerColumn);
            var perColumn = scales.Length > 1;
            var quantizedWeight = Add(weight.Name + "_quantized", TensorData.FromArray(q, rows, columns));
            var weightScale = Add(weight.Name + "_scale", perColumn ? TensorData.FromArray(scales, columns) : TensorData.Scalar(scales[0]));
            var weightZero = Add(weight.Name + "_zero_point", perColumn ? TensorData.FromArray(new sbyte[columns], columns) : TensorData.Scalar((sbyte)0));

            var activation = Activation(node.Inputs[0]);
            var output = node.Outputs[0];
            var stem = (node.Name.Length > 0 ? node.Name : output) + "_quant";
            var integer = Fresh(output + "_int32");
            var asFloat = Fresh(output + "_float");
            var scale = Fresh(output + "_scale");
            var product = bias is null ? output : Fresh(output + "_unbiased");
            Emit("MatMulInteger", [activation.Values, quantizedWeight.Name, activation.ZeroPoint, weightZero.Name], integer, stem);
            Emit("Cast", [integer], asFloat, stem, OnnxAttribute.Int("to", (long)OnnxDataType.Float));
            Emit("Mul", [activation.Scale, weightScale.Name], scale, stem);
            Emit("Mul", [asFloat, scale], product, stem);
            if (bias is not null)
                Emit("Add", [product, bias.Name], output, stem);
            return true;
        }

        /// <summary>The quantized form of activation <paramref name="name"/>: one DynamicQuantizeLinear per activation.</summary>
        private (string Values, string Scale, string ZeroPoint) Activation(string name)
        {
            if (_quantizedActivations.TryGetValue(name, out var known))
                return known;
            var quantized = (Fresh(name + "_quantized"), Fresh(name + "_scale"), Fresh(name + "_zero_point"));
            _nodes.Add(new OnnxNode("DynamicQuantizeLinear", [name], [quantized.Item1, quantized.Item2, quantized.Item3], Fresh(name + "_DynamicQuantizeLinear")));
            _quantizedActivations[name] = quantized;
            return quantized;
        }

        private void Emit(string opType, IReadOnlyList<string> inputs, string output, string stem, params OnnxAttribute[] attributes) =>
            _nodes.Add(new OnnxNode(opType, inputs, [output], Fresh(stem + "/" + opType), attributes));

        private OnnxTensor Add(string name, TensorData data)
        {
            var tensor = new OnnxTensor(Fresh(name), data);
            _added.Add(tensor);
            return tensor;
        }

        private bool IsFloatMatrix(string name, out OnnxTensor tensor) =>
            _initializers.TryGetValue(name, out tensor!) && tensor.Data.DataType == OnnxDataType.Float && tensor.Data.Dims.Count == 2
            && tensor.Data.ElementCount > 0;

        private string Fresh(string name)
        {
            var candidate = name;
            for (var i = 1; !_names.Add(candidate); i++)
                candidate = name + "_" + i.ToString(CultureInfo.InvariantCulture);
            return candidate;
        }

        private static float[] Transposed(float[] values, int rows, int columns)
        {
            var result = new float[values.Length];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                    result[c * rows + r] = values[r * columns + c];
            }
            return result;
        }

        private static HashSet<string> AllNames(OnnxGraph graph)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            names.UnionWith(graph.Inputs.Select(v => v.Name));
            names.UnionWith(graph.Outputs.Select(v => v.Name));
            names.UnionWith(graph.ValueInfo.Select(v => v.Name));
            names.UnionWith(graph.Initializers.Select(t => t.Name));
            foreach (var node in graph.Nodes)
            {
                names.Add(node.Name);
                names.UnionWith(node.Inputs);
                names.UnionWith(node.Outputs);
            }
            return names;
        }
    }
}
