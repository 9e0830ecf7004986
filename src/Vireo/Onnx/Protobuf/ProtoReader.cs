using System.Buffers.Binary;
using System.Text;

namespace Vireo.Onnx.Protobuf;

/// <summary>The protobuf wire types this reader meets.</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>Bytes that do not parse as the protobuf message they should be (truncated, or not protobuf at all).</summary>
internal sealed class ProtoFormatException(string message) : Exception(message);

/// <summary>
/// Reads the protobuf wire format from memory, field by field: <see cref="Next"/> gives each field's number and
/// wire type, then one of the Read methods (or <see cref="Skip"/>) consumes its value. Length-delimited values come
/// back as slices of the source (no copy), so a model's tensor data is never duplicated while it is parsed.
/// </summary>
internal struct ProtoReader(ReadOnlyMemory<byte> source)
{
    private readonly ReadOnlyMemory<byte> _source = source;
    private int _position;
    private int _fieldStart;

    public int Field { get; private set; }

    public WireType Wire { get; private set; }

    /// <summary>The bytes of the field <see cref="Next"/> found, tag included, once its value is consumed (to keep a field as it is).</summary>
    public readonly ReadOnlyMemory<byte> FieldBytes => _source[_fieldStart.._position];

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    public bool Next()
    {
        if (_position >= _source.Length)
            return false;
        _fieldStart = _position;
        var tag = Varint();
        Field = checked((int)(tag >> 3));
        Wire = (WireType)(tag & 7);
        if (Field == 0 || Wire is not (WireType.Varint or WireType.Fixed64 or WireType.LengthDelimited or WireType.Fixed32))
            throw new ProtoFormatException($"invalid field tag {tag} at byte {_fieldStart}");
        return true;
    }

    public long Int64() => unchecked((long)Varint());

    public int Int32() => unchecked((int)Varint());

    public float Float()
    {
        Expect(WireType.Fixed32);
        return BinaryPrimitives.ReadSingleLittleEndian(Take(4).Span);
    }

    public ReadOnlyMemory<byte> Bytes()
    {
        Expect(WireType.LengthDelimited);
        var length = Varint();
        if (length > (ulong)(_source.Length - _position))
            throw new ProtoFormatException($"a field of {length} bytes runs past the end of its message at byte {_position}");
        return Take((int)length);
    }

    public string String() => Encoding.UTF8.GetString(Bytes().Span);

    /// <summary>A nested message, to be read with its own reader.</summary>
    public ProtoReader Message() => new(Bytes());

    /// <summary>A repeated int64 field's values: packed (length-delimited) or one per field occurrence.</summary>
    public void Int64s(List<long> into)
    {
        if (Wire != WireType.LengthDelimited)
        {
            into.Add(Int64());
            return;
        }
        var packed = new ProtoReader(Bytes());
        while (packed._position < packed._source.Length)
            into.Add(unchecked((long)packed.Varint()));
    }

    /// <summary>A repeated float field's values: packed or one per field occurrence.</summary>
    public void Floats(List<float> into) => Fixed(into, WireType.Fixed32, 4, BinaryPrimitives.ReadSingleLittleEndian);

    /// <summary>A repeated double field's values: packed or one per field occurrence.</summary>
    public void Doubles(List<double> into) => Fixed(into, WireType.Fixed64, 8, BinaryPrimitives.ReadDoubleLittleEndian);

    private delegate T Decode<T>(ReadOnlySpan<byte> bytes);

    private void Fixed<T>(List<T> into, WireType single, int size, Decode<T> decode)
    {
        if (Wire != WireType.LengthDelimited)
        {
            Expect(single);
            into.Add(decode(Take(size).Span));
            return;
        }
        var bytes = Bytes().Span;
        if (bytes.Length % size != 0)
            throw new ProtoFormatException($"a packed field's length is not a multiple of {size}");
        for (var i = 0; i < bytes.Length; i += size)
            into.Add(decode(bytes[i..]));
    }

    /// <summary>Consumes the current field's value without reading it.</summary>
    public void Skip()
    {
        switch (Wire)
        {
            case WireType.Varint:
                Varint();
                break;
            case WireType.Fixed64:
                Take(8);
                break;
            case WireType.Fixed32:
                Take(4);
                break;
            default:
                Bytes();
                break;
        }
    }

    private void Expect(WireType wire)
    {
        if (Wire != wire)
            throw new ProtoFormatException($"field {Field} has wire type {Wire}, expected {wire}");
    }

    private ReadOnlyMemory<byte> Take(int count)
    {
        if (count > _source.Length - _position)
            throw new ProtoFormatException($"the message ends inside field {Field} (byte {_position})");
        var slice = _source.Slice(_position, count);
        _position += count;
        return slice;
    }

    private ulong Varint()
    {
        var span = _source.Span;
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= span.Length)
                throw new ProtoFormatException($"the message ends inside a varint (byte {_position})");
            var b = span[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw new ProtoFormatException($"a varint longer than 10 bytes at byte {_position}");
    }
}
