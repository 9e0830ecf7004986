using Vireo.Onnx.Protobuf;

namespace Vireo.Onnx;

/// <summary>
/// One operator application (NodeProto). An empty input name stands for an omitted optional input.
/// </summary>
public sealed class OnnxNode(
    string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string name,
    IReadOnlyList<OnnxAttribute>? attributes = null, string domain = "") : IProtoMessage
{
    // NodeProto field numbers (onnx.proto).
    private const int InputField = 1;
    private const int OutputField = 2;
    private const int NameField = 3;
    private const int OpTypeField = 4;
    private const int AttributeField = 5;
    private const int DomainField = 7;

    public string OpType { get; } = opType ?? throw new ArgumentNullException(nameof(opType));

    public IReadOnlyList<string> Inputs { get; } = [.. inputs];

    public IReadOnlyList<string> Outputs { get; } = [.. outputs];

    public string Name { get; } = name ?? "";

    public IReadOnlyList<OnnxAttribute> Attributes { get; } = [.. attributes ?? []];

    public string Domain { get; } = domain ?? "";

    /// <summary>Fields of a node read from a file that this class does not model (doc_string, metadata_props ...), written back unchanged.</summary>
    internal ReadOnlyMemory<byte> PreservedFields { get; init; }

    public OnnxAttribute? Attribute(string attributeName) => Attributes.FirstOrDefault(a => a.Name == attributeName);

    void IProtoMessage.WriteFields(ProtoOutput output)
    {
        foreach (var input in Inputs)
            output.String(InputField, input);
        foreach (var o in Outputs)
            output.String(OutputField, o);
        if (Name.Length > 0)
            output.String(NameField, Name);
        output.String(OpTypeField, OpType);
        foreach (var attribute in Attributes)
            output.Message(AttributeField, attribute);
        if (Domain.Length > 0)
            output.String(DomainField, Domain);
        output.Preserved(PreservedFields);
    }

    public override string ToString() => $"{OpType}({string.Join(", ", Inputs)}) -> {string.Join(", ", Outputs)}";
}
