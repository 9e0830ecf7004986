using System.Globalization;

namespace Vireo.Onnx;

/// <summary>
/// Builds an ONNX graph node by node. Typed helpers (see GraphBuilder.Ops.cs) infer each output's element
/// type and shape, reject mismatched operands early, and record the shapes as value_info so tools (and the
/// synthetic models' FLOP counter) can read them back. Float constants made by the builder use
/// <see cref="FloatType"/>, so one model description can be emitted in float32 or float16.
/// </summary>
public sealed partial class GraphBuilder
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly List<OnnxValueInfo> _inputs = [];
    private readonly List<OnnxValueInfo> _outputs = [];
    private readonly Dictionary<string, GraphValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly Stack<string> _scopes = new();

    public GraphBuilder(string name, int opset = OnnxModel.DefaultOpset)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(opset, 17);
        Name = name;
        Opset = opset;
    }

    public string Name { get; }

    public int Opset { get; }

    /// <summary>The element type of float constants created by <see cref="Scalar"/> and <see cref="FloatConstant"/>.</summary>
    public OnnxDataType FloatType { get; set; } = OnnxDataType.Float;

    /// <summary>Whether <see cref="ToGraph"/> records inferred intermediate shapes as value_info (default true).</summary>
    public bool EmitValueInfo { get; set; } = true;

    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>A graph input.</summary>
    public GraphValue Input(string name, OnnxDataType type, params Dim[] shape)
    {
        var value = Register(name, type, shape);
        _inputs.Add(new OnnxValueInfo(name, type, shape));
        return value;
    }

    /// <summary>
    /// Declares <paramref name="value"/> as the graph output <paramref name="name"/> (through an Identity
    /// node when the names differ), with <paramref name="shape"/> or else the inferred shape.
    /// </summary>
    public void Output(GraphValue value, string name, params Dim[]? shape)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (value.Name != name)
        {
            Register(name, value.Type, value.Shape);
            _nodes.Add(new OnnxNode("Identity", [value.Name], [name], NextName("Identity")));
        }
        _outputs.Add(new OnnxValueInfo(name, value.Type, shape is { Length: > 0 } ? shape : value.Shape));
    }

    /// <summary>A named initializer (a weight).</summary>
    public GraphValue Initializer(string name, TensorData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var value = Register(name, data.DataType, [.. data.Dims.Select(d => Dim.Fixed(d))]);
        _initializers.Add(new OnnxTensor(name, data));
        return value;
    }

    /// <summary>An unnamed constant, stored as an initializer with a generated name.</summary>
    public GraphValue Constant(TensorData data) => Initializer(NextName("const"), data);

    /// <summary>A scalar constant in <see cref="FloatType"/>.</summary>
    public GraphValue Scalar(float value) => FloatConstant([value]);

    /// <summary>A float constant of shape <paramref name="dims"/> (a vector when none are given) in <see cref="FloatType"/>.</summary>
    public GraphValue FloatConstant(float[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        var shape = dims.Length == 0 && values.Length != 1 ? [values.Length] : dims;
        var data = TensorData.FromArray(values, shape);
        return Constant(FloatType == OnnxDataType.Float16 ? data.ToFloat16() : data);
    }

    /// <summary>A 1-D int64 constant (shapes, axes, indices).</summary>
    public GraphValue Int64s(params long[] values) => Constant(TensorData.Vector(values));

    /// <summary>A scalar int64 constant.</summary>
    public GraphValue Int64Scalar(long value) => Constant(TensorData.Scalar(value));

    /// <summary>
    /// Adds any node. Outputs have the given element types and unknown shapes unless set with <see cref="WithShape"/>.
    /// A null input stands for an omitted optional input.
    /// </summary>
    public GraphValue[] Node(string opType, IReadOnlyList<GraphValue?> inputs, IReadOnlyList<OnnxDataType> outputTypes,
        IReadOnlyList<OnnxAttribute>? attributes = null, string domain = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputTypes);
        var nodeName = NextName(opType);
        var outputs = new GraphValue[outputTypes.Count];
        for (var i = 0; i < outputs.Length; i++)
            outputs[i] = Register(outputs.Length == 1 ? nodeName : $"{nodeName}.{i}", outputTypes[i], null);
        _nodes.Add(new OnnxNode(opType, [.. inputs.Select(v => v?.Name ?? "")], [.. outputs.Select(v => v.Name)], nodeName, attributes, domain));
        return outputs;
    }

    /// <summary>Records a shape the caller knows for <paramref name="value"/> (for example after a data-dependent Slice).</summary>
    public GraphValue WithShape(GraphValue value, params Dim[] shape)
    {
        ArgumentNullException.ThrowIfNull(value);
        var updated = new GraphValue(value.Name, value.Type, shape);
        _values[value.Name] = updated;
        return updated;
    }

    /// <summary>Prefixes generated names with <paramref name="name"/> until the returned scope is disposed.</summary>
    public IDisposable Scope(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _scopes.Push(name);
        return new ScopeExit(_scopes);
    }

    public OnnxGraph ToGraph()
    {
        var declared = new HashSet<string>(_inputs.Concat(_outputs).Select(v => v.Name), StringComparer.Ordinal);
        declared.UnionWith(_initializers.Select(t => t.Name));
        var valueInfo = EmitValueInfo
            ? _values.Values.Where(v => !declared.Contains(v.Name) && v.Shape is not null)
                .Select(v => new OnnxValueInfo(v.Name, v.Type, v.Shape)).ToList()
            : [];
        return new OnnxGraph(Name, _nodes, _initializers, _inputs, _outputs, valueInfo);
    }

    public OnnxModel ToModel(string docString = "") =>
        new(ToGraph(), [new OpsetImport("", Opset)]) { DocString = docString };

    /// <summary>Adds a node with one output of known type and (possibly null) shape.</summary>
    internal GraphValue Emit(string opType, IReadOnlyList<GraphValue?> inputs, OnnxDataType outputType, IReadOnlyList<Dim>? shape,
        params OnnxAttribute[] attributes)
    {
        var output = Node(opType, inputs, [outputType], attributes)[0];
        return shape is null ? output : WithShape(output, [.. shape]);
    }

    private GraphValue Register(string name, OnnxDataType type, IReadOnlyList<Dim>? shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_values.ContainsKey(name))
            throw new ArgumentException($"the graph already has a value named '{name}'", nameof(name));
        var value = new GraphValue(name, type, shape);
        _values[name] = value;
        return value;
    }

    private string NextName(string kind)
    {
        var n = _counters.GetValueOrDefault(kind);
        _counters[kind] = n + 1;
        var local = kind + "_" + n.ToString(CultureInfo.InvariantCulture);
        return _scopes.Count == 0 ? local : string.Join("/", _scopes.Reverse()) + "/" + local;
    }

    private sealed class ScopeExit(Stack<string> scopes) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
                scopes.Pop();
            _disposed = true;
        }
    }
}
