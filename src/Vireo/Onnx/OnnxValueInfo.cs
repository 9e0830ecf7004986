using Vireo.Onnx.Protobuf;

namespace Vireo.Onnx;

/// <summary>
/// The name, element type and (optional) shape of a graph input, output or intermediate value
/// (ValueInfoProto with a TypeProto.Tensor).
/// </summary>
public sealed class OnnxValueInfo(string name, OnnxDataType dataType, IReadOnlyList<Dim>? shape) : IProtoMessage
{
    public string Name { get; } = name ?? throw new ArgumentNullException(nameof(name));

    public OnnxDataType DataType { get; } = dataType;

    /// <summary>The dimensions; null when the rank itself is unknown.</summary>
    public IReadOnlyList<Dim>? Shape { get; } = shape is null ? null : [.. shape];

    /// <summary>A value read from a file whose type is not a tensor (a sequence, a map ...): kept as it was encoded.</summary>
    internal static OnnxValueInfo Preserved(string name, ReadOnlyMemory<byte> encoded) => new(name, 0, null) { Encoded = encoded };

    /// <summary>True for a value whose type is a tensor (its <see cref="DataType"/> and <see cref="Shape"/> are meaningful).</summary>
    public bool IsTensor => Encoded.IsEmpty;

    private ReadOnlyMemory<byte> Encoded { get; init; }

    void IProtoMessage.WriteFields(ProtoOutput output)
    {
        if (!Encoded.IsEmpty)
        {
            output.Preserved(Encoded);
            return;
        }
        output.String(1, Name);                      // ValueInfoProto.name
        output.Message(2, new TypeMessage(this));    // ValueInfoProto.type
    }

    public override string ToString() => $"{Name}: {DataType} {Dim.Format(Shape)}";

    private sealed class TypeMessage(OnnxValueInfo info) : IProtoMessage
    {
        public void WriteFields(ProtoOutput output) => output.Message(1, new TensorTypeMessage(info)); // TypeProto.tensor_type
    }

    private sealed class TensorTypeMessage(OnnxValueInfo info) : IProtoMessage
    {
        public void WriteFields(ProtoOutput output)
        {
            output.Int32(1, (int)info.DataType);              // TypeProto.Tensor.elem_type
            if (info.Shape is { } shape)
                output.Message(2, new ShapeMessage(shape));   // TypeProto.Tensor.shape
        }
    }

    private sealed class ShapeMessage(IReadOnlyList<Dim> shape) : IProtoMessage
    {
        public void WriteFields(ProtoOutput output)
        {
            foreach (var dim in shape)
                output.Message(1, new DimensionMessage(dim)); // TensorShapeProto.dim
        }
    }

    private sealed class DimensionMessage(Dim dim) : IProtoMessage
    {
        public void WriteFields(ProtoOutput output)
        {
            if (dim.Value is { } value)
                output.Int64(1, value);                       // Dimension.dim_value
            else if (dim.Param is { } param)
                output.String(2, param);                      // Dimension.dim_param
        }
    }
}
