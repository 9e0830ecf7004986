using Vireo.Onnx.Protobuf;

namespace Vireo.Onnx;

/// <summary>The kinds of node attribute (AttributeProto.AttributeType values); the writer makes the first six, the others are only read and kept.</summary>
public enum OnnxAttributeType
{
    Float = 1,
    Int = 2,
    String = 3,
    Tensor = 4,
    Graph = 5,
    Floats = 6,
    Ints = 7,
    Strings = 8,
    Tensors = 9,
    Graphs = 10,
    SparseTensor = 11,
    SparseTensors = 12,
    TypeProto = 13,
    TypeProtos = 14,
}

/// <summary>A node attribute (AttributeProto) holding one float, int, string, tensor, or a list of floats or ints.</summary>
public sealed class OnnxAttribute : IProtoMessage
{
    // AttributeProto field numbers (onnx.proto).
    private const int NameField = 1;
    private const int FloatField = 2;
    private const int IntField = 3;
    private const int StringField = 4;
    private const int TensorField = 5;
    private const int FloatsField = 7;
    private const int IntsField = 8;
    private const int TypeField = 20;

    private OnnxAttribute(string name, OnnxAttributeType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
    }

    public string Name { get; }

    public OnnxAttributeType Type { get; }

    public float FloatValue { get; private init; }

    public long IntValue { get; private init; }

    public string? StringValue { get; private init; }

    public OnnxTensor? TensorValue { get; private init; }

    public IReadOnlyList<float> FloatValues { get; private init; } = [];

    public IReadOnlyList<long> IntValues { get; private init; } = [];

    /// <summary>The whole AttributeProto as read from a file, written back unchanged (set by <see cref="OnnxModelReader"/>).</summary>
    private ReadOnlyMemory<byte> Encoded { get; init; }

    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeType.Float) { FloatValue = value };

    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeType.Int) { IntValue = value };

    public static OnnxAttribute String(string name, string value) =>
        new(name, OnnxAttributeType.String) { StringValue = value ?? throw new ArgumentNullException(nameof(value)) };

    public static OnnxAttribute Tensor(string name, TensorData value) =>
        new(name, OnnxAttributeType.Tensor) { TensorValue = new OnnxTensor("", value) };

    public static OnnxAttribute Floats(string name, params float[] values) => new(name, OnnxAttributeType.Floats) { FloatValues = [.. values] };

    public static OnnxAttribute Ints(string name, params long[] values) => new(name, OnnxAttributeType.Ints) { IntValues = [.. values] };

    /// <summary>An attribute read from a file: its parsed value (for the kinds above Ints, none) and its encoding, kept as it was.</summary>
    internal static OnnxAttribute Read(ReadOnlyMemory<byte> encoded, string name, OnnxAttributeType type, float floatValue, long intValue,
        string? stringValue, OnnxTensor? tensorValue, IReadOnlyList<float> floatValues, IReadOnlyList<long> intValues) =>
        new(name, type)
        {
            Encoded = encoded,
            FloatValue = floatValue,
            IntValue = intValue,
            StringValue = stringValue,
            TensorValue = tensorValue,
            FloatValues = floatValues,
            IntValues = intValues,
        };

    void IProtoMessage.WriteFields(ProtoOutput output)
    {
        if (!Encoded.IsEmpty)
        {
            output.Preserved(Encoded);
            return;
        }
        output.String(NameField, Name);
        switch (Type)
        {
            case OnnxAttributeType.Float:
                output.Float(FloatField, FloatValue);
                break;
            case OnnxAttributeType.Int:
                output.Int64(IntField, IntValue);
                break;
            case OnnxAttributeType.String:
                output.String(StringField, StringValue!);
                break;
            case OnnxAttributeType.Tensor:
                output.Message(TensorField, TensorValue!);
                break;
            case OnnxAttributeType.Floats:
                output.PackedFloat(FloatsField, [.. FloatValues]);
                break;
            case OnnxAttributeType.Ints:
                output.PackedInt64(IntsField, [.. IntValues]);
                break;
        }
        output.Int32(TypeField, (int)Type);
    }
}
