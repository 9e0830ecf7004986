using Vireo.Onnx.Protobuf;

namespace Vireo.Onnx;

/// <summary>A computation graph (GraphProto): topologically sorted nodes, initializers, inputs, outputs and value_info.</summary>
public sealed class OnnxGraph(
    string name,
    IReadOnlyList<OnnxNode> nodes,
    IReadOnlyList<OnnxTensor> initializers,
    IReadOnlyList<OnnxValueInfo> inputs,
    IReadOnlyList<OnnxValueInfo> outputs,
    IReadOnlyList<OnnxValueInfo>? valueInfo = null) : IProtoMessage
{
    // GraphProto field numbers (onnx.proto).
    private const int NodeField = 1;
    private const int NameField = 2;
    private const int InitializerField = 5;
    private const int InputField = 11;
    private const int OutputField = 12;
    private const int ValueInfoField = 13;

    public string Name { get; } = name ?? "";

    public IReadOnlyList<OnnxNode> Nodes { get; } = [.. nodes];

    public IReadOnlyList<OnnxTensor> Initializers { get; } = [.. initializers];

    public IReadOnlyList<OnnxValueInfo> Inputs { get; } = [.. inputs];

    public IReadOnlyList<OnnxValueInfo> Outputs { get; } = [.. outputs];

    public IReadOnlyList<OnnxValueInfo> ValueInfo { get; } = [.. valueInfo ?? []];

    /// <summary>Fields of a graph read from a file that this class does not model (doc_string, sparse initializers ...), written back unchanged.</summary>
    internal ReadOnlyMemory<byte> PreservedFields { get; init; }

    /// <summary>Total bytes of initializer data.</summary>
    public long WeightBytes => Initializers.Sum(t => t.Data.ByteLength);

    /// <summary>The declared shape of every named value (inputs, outputs, value_info, initializers).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Dim>> KnownShapes()
    {
        var shapes = new Dictionary<string, IReadOnlyList<Dim>>(StringComparer.Ordinal);
        foreach (var info in Inputs.Concat(Outputs).Concat(ValueInfo))
        {
            if (info.Shape is not null)
                shapes[info.Name] = info.Shape;
        }
        foreach (var tensor in Initializers)
            shapes[tensor.Name] = [.. tensor.Data.Dims.Select(d => Dim.Fixed(d))];
        return shapes;
    }

    void IProtoMessage.WriteFields(ProtoOutput output)
    {
        foreach (var node in Nodes)
            output.Message(NodeField, node);
        output.String(NameField, Name);
        foreach (var tensor in Initializers)
            output.Message(InitializerField, tensor);
        foreach (var input in Inputs)
            output.Message(InputField, input);
        foreach (var o in Outputs)
            output.Message(OutputField, o);
        foreach (var info in ValueInfo)
            output.Message(ValueInfoField, info);
        output.Preserved(PreservedFields);
    }
}
