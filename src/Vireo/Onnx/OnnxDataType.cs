namespace Vireo.Onnx;

/// <summary>ONNX tensor element types (TensorProto.DataType); the values are the ones in onnx.proto.</summary>
public enum OnnxDataType
{
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    BFloat16 = 16,
}

/// <summary>Sizes and names of <see cref="OnnxDataType"/> values.</summary>
public static class OnnxDataTypes
{
    public static int SizeOf(OnnxDataType type) => type switch
    {
        OnnxDataType.UInt8 or OnnxDataType.Int8 or OnnxDataType.Bool => 1,
        OnnxDataType.UInt16 or OnnxDataType.Int16 or OnnxDataType.Float16 or OnnxDataType.BFloat16 => 2,
        OnnxDataType.Float or OnnxDataType.Int32 or OnnxDataType.UInt32 => 4,
        OnnxDataType.Int64 or OnnxDataType.Double or OnnxDataType.UInt64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no fixed element size"),
    };

    public static bool IsFloatingPoint(OnnxDataType type) =>
        type is OnnxDataType.Float or OnnxDataType.Float16 or OnnxDataType.Double;

    /// <summary>The element type ONNX uses for a CLR type (float, Half, sbyte, byte, int, long, double, bool).</summary>
    public static OnnxDataType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? OnnxDataType.Float
        : typeof(T) == typeof(Half) ? OnnxDataType.Float16
        : typeof(T) == typeof(sbyte) ? OnnxDataType.Int8
        : typeof(T) == typeof(byte) ? OnnxDataType.UInt8
        : typeof(T) == typeof(int) ? OnnxDataType.Int32
        : typeof(T) == typeof(long) ? OnnxDataType.Int64
        : typeof(T) == typeof(double) ? OnnxDataType.Double
        : typeof(T) == typeof(bool) ? OnnxDataType.Bool
        : throw new NotSupportedException($"no ONNX element type for {typeof(T).Name}");
}
