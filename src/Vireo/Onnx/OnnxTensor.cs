using Vireo.Onnx.Protobuf;

namespace Vireo.Onnx;

/// <summary>A named tensor (TensorProto): an initializer or the value of a tensor attribute.</summary>
public sealed class OnnxTensor(string name, TensorData data) : IProtoMessage
{
    // TensorProto field numbers (onnx.proto).
    private const int DimsField = 1;
    private const int DataTypeField = 2;
    private const int NameField = 8;
    private const int RawDataField = 9;

    public string Name { get; } = name ?? throw new ArgumentNullException(nameof(name));

    public TensorData Data { get; } = data ?? throw new ArgumentNullException(nameof(data));

    void IProtoMessage.WriteFields(ProtoOutput output)
    {
        output.PackedInt64(DimsField, [.. Data.Dims]);
        output.Int32(DataTypeField, (int)Data.DataType);
        if (Name.Length > 0)
            output.String(NameField, Name);
        output.Blob(RawDataField, Data);
    }
}
