using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Vireo.Onnx.Protobuf;

namespace Vireo.Onnx;

/// <summary>Receives a tensor's float values chunk by chunk, in row-major order.</summary>
public delegate void FloatChunkHandler(ReadOnlySpan<float> chunk);

/// <summary>
/// The values of a tensor (an initializer or a constant attribute), written as little-endian raw_data.
/// Data may be held in an array or generated lazily while the model file is written, so models with
/// hundreds of megabytes of weights stream to disk without being held in memory.
/// </summary>
public abstract class TensorData : IProtoBlob
{
    private readonly long[] _dims;

    protected TensorData(OnnxDataType dataType, IReadOnlyList<long> dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        _dims = [.. dims];
        long count = 1;
        foreach (var d in _dims)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(dims));
            count = checked(count * d);
        }
        DataType = dataType;
        ElementCount = count;
    }

    public OnnxDataType DataType { get; }

    public IReadOnlyList<long> Dims => _dims;

    public long ElementCount { get; }

    public long ByteLength => ElementCount * OnnxDataTypes.SizeOf(DataType);

    /// <summary>Writes the raw little-endian bytes of every element.</summary>
    public abstract void WriteTo(Stream destination);

    /// <summary>Streams the values as floats (any numeric element type is converted).</summary>
    public abstract void ReadFloats(FloatChunkHandler handler);

    /// <summary>Every value as a float array (materialises lazily generated data).</summary>
    public float[] ToFloatArray()
    {
        var result = new float[checked((int)ElementCount)];
        var offset = 0;
        ReadFloats(chunk =>
        {
            chunk.CopyTo(result.AsSpan(offset));
            offset += chunk.Length;
        });
        return result;
    }

    /// <summary>The same values as float16, converted while writing.</summary>
    public TensorData ToFloat16() => DataType == OnnxDataType.Float16 ? this : new Float16TensorData(this);

    public static TensorData FromArray<T>(T[] values, params long[] dims) where T : unmanaged =>
        new ArrayTensorData<T>(values, dims);

    public static TensorData Scalar<T>(T value) where T : unmanaged => new ArrayTensorData<T>([value], []);

    public static TensorData Vector<T>(params T[] values) where T : unmanaged => new ArrayTensorData<T>(values, [values.Length]);

    /// <summary>Float32 values all equal to <paramref name="value"/>, generated when written.</summary>
    public static TensorData Filled(float value, params long[] dims) => new FilledTensorData(value, dims);

    public override string ToString() => $"{DataType} {Dim.Format([.. _dims.Select(d => (Dim)d)])}";

    /// <summary>Hands <paramref name="values"/> to <paramref name="handler"/> as floats (converted when they are not floats).</summary>
    internal static void ConvertFloats<TValue>(ReadOnlySpan<TValue> values, FloatChunkHandler handler) where TValue : unmanaged
    {
        if (typeof(TValue) == typeof(float))
        {
            handler(MemoryMarshal.Cast<TValue, float>(values));
            return;
        }
        var converted = new float[values.Length];
        if (typeof(TValue) == typeof(Half))
        {
            TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<TValue, Half>(values), converted);
            handler(converted);
            return;
        }
        for (var i = 0; i < values.Length; i++)
            converted[i] = ToFloat(values[i]);
        handler(converted);
    }

    private static float ToFloat<TValue>(TValue value) where TValue : unmanaged => value switch
    {
        Half h => (float)h,
        sbyte s => s,
        byte b => b,
        int i => i,
        long l => l,
        double d => (float)d,
        bool b => b ? 1 : 0,
        _ => throw new NotSupportedException($"cannot read {typeof(TValue).Name} as float"),
    };
}

/// <summary>Little-endian tensor bytes as read from a model file, referenced where they lie (see <see cref="OnnxModelReader"/>).</summary>
internal sealed class RawTensorData : TensorData
{
    private readonly ReadOnlyMemory<byte> _bytes;

    public RawTensorData(OnnxDataType dataType, IReadOnlyList<long> dims, ReadOnlyMemory<byte> bytes) : base(dataType, dims)
    {
        if (bytes.Length != ByteLength)
            throw new ArgumentException($"{bytes.Length} bytes do not fill a {dataType} tensor of {ElementCount} elements", nameof(bytes));
        _bytes = bytes;
    }

    public override void WriteTo(Stream destination) => destination.Write(_bytes.Span);

    public override void ReadFloats(FloatChunkHandler handler)
    {
        var bytes = _bytes.Span;
        switch (DataType)
        {
            case OnnxDataType.Float: ConvertFloats(MemoryMarshal.Cast<byte, float>(bytes), handler); break;
            case OnnxDataType.Float16: ConvertFloats(MemoryMarshal.Cast<byte, Half>(bytes), handler); break;
            case OnnxDataType.Double: ConvertFloats(MemoryMarshal.Cast<byte, double>(bytes), handler); break;
            case OnnxDataType.Int8: ConvertFloats(MemoryMarshal.Cast<byte, sbyte>(bytes), handler); break;
            case OnnxDataType.UInt8: ConvertFloats(bytes, handler); break;
            case OnnxDataType.Int32: ConvertFloats(MemoryMarshal.Cast<byte, int>(bytes), handler); break;
            case OnnxDataType.Int64: ConvertFloats(MemoryMarshal.Cast<byte, long>(bytes), handler); break;
            default: throw new NotSupportedException($"cannot read {DataType} as float");
        }
    }
}

internal sealed class ArrayTensorData<T> : TensorData where T : unmanaged
{
    private readonly T[] _values;

    public ArrayTensorData(T[] values, long[] dims) : base(OnnxDataTypes.Of<T>(), dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != ElementCount)
            throw new ArgumentException($"{values.Length} values do not fill a tensor of {ElementCount} elements", nameof(values));
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; big-endian hosts are not supported");
        _values = values;
    }

    public override void WriteTo(Stream destination) => destination.Write(MemoryMarshal.AsBytes(_values.AsSpan()));

    public override void ReadFloats(FloatChunkHandler handler) => ConvertFloats<T>(_values, handler);
}

/// <summary>Base for float32 data produced in chunks while being written; <typeparamref name="TState"/> carries the generator between chunks.</summary>
public abstract class GeneratedFloatData<TState>(IReadOnlyList<long> dims) : TensorData(OnnxDataType.Float, dims)
{
    private const int ChunkSize = 1 << 16;

    public override void WriteTo(Stream destination) =>
        ReadFloats(chunk => destination.Write(MemoryMarshal.AsBytes(chunk)));

    public override void ReadFloats(FloatChunkHandler handler)
    {
        var buffer = new float[(int)Math.Min(ChunkSize, Math.Max(1, ElementCount))];
        var state = Start();
        for (long done = 0; done < ElementCount;)
        {
            var n = (int)Math.Min(buffer.Length, ElementCount - done);
            Fill(ref state, buffer.AsSpan(0, n));
            handler(buffer.AsSpan(0, n));
            done += n;
        }
    }

    protected abstract TState Start();

    protected abstract void Fill(ref TState state, Span<float> destination);
}

internal sealed class FilledTensorData(float value, IReadOnlyList<long> dims) : GeneratedFloatData<byte>(dims)
{
    protected override byte Start() => 0;

    protected override void Fill(ref byte state, Span<float> destination) => destination.Fill(value);
}

internal sealed class Float16TensorData(TensorData source) : TensorData(OnnxDataType.Float16, source.Dims)
{
    public override void WriteTo(Stream destination) =>
        source.ReadFloats(chunk =>
        {
            var halves = new Half[chunk.Length];
            TensorPrimitives.ConvertToHalf(chunk, halves);
            destination.Write(MemoryMarshal.AsBytes(halves.AsSpan()));
        });

    public override void ReadFloats(FloatChunkHandler handler) =>
        source.ReadFloats(chunk =>
        {
            var halves = new Half[chunk.Length];
            var rounded = new float[chunk.Length];
            TensorPrimitives.ConvertToHalf(chunk, halves);
            TensorPrimitives.ConvertToSingle(halves, rounded);
            handler(rounded);
        });
}
