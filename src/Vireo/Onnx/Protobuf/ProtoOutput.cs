using System.Buffers.Binary;
using System.Text;

namespace Vireo.Onnx.Protobuf;

/// <summary>A protobuf message that can write its fields (in any order) to a <see cref="ProtoOutput"/>.</summary>
internal interface IProtoMessage
{
    void WriteFields(ProtoOutput output);
}

/// <summary>A length-delimited payload of known size that streams itself (tensor raw_data).</summary>
internal interface IProtoBlob
{
    long ByteLength { get; }

    void WriteTo(Stream destination);
}

/// <summary>
/// The protobuf wire format (varints, fixed32, length-delimited fields, packed repeated fields). Subclasses
/// either count bytes (<see cref="ProtoSizer"/>) or write them (<see cref="ProtoStreamWriter"/>); a nested
/// message is sized first by a sizer pass because its length prefix precedes it.
/// </summary>
internal abstract class ProtoOutput
{
    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    public void Int64(int field, long value)
    {
        Tag(field, WireVarint);
        Varint(unchecked((ulong)value));
    }

    public void Int32(int field, int value) => Int64(field, value); // negative int32 is sign-extended to 10 bytes, as protobuf does

    public void Float(int field, float value)
    {
        Tag(field, WireFixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        Raw(bytes);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, WireLengthDelimited);
        Varint((ulong)value.Length);
        Raw(value);
    }

    public void Message(int field, IProtoMessage message)
    {
        Tag(field, WireLengthDelimited);
        var size = ProtoSizer.SizeOf(message);
        Varint((ulong)size);
        MessageBody(message, size);
    }

    public void Blob(int field, IProtoBlob blob)
    {
        Tag(field, WireLengthDelimited);
        Varint((ulong)blob.ByteLength);
        BlobBody(blob);
    }

    /// <summary>A packed repeated int64 field; nothing is written for an empty list.</summary>
    public void PackedInt64(int field, ReadOnlySpan<long> values)
    {
        if (values.IsEmpty)
            return;
        long size = 0;
        foreach (var v in values)
            size += VarintSize(unchecked((ulong)v));
        Tag(field, WireLengthDelimited);
        Varint((ulong)size);
        foreach (var v in values)
            Varint(unchecked((ulong)v));
    }

    /// <summary>A packed repeated float field; nothing is written for an empty list.</summary>
    public void PackedFloat(int field, ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
            return;
        Tag(field, WireLengthDelimited);
        Varint((ulong)values.Length * 4);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, v);
            Raw(bytes);
        }
    }

    /// <summary>Fields kept as they were read (already encoded, tags included), written back unchanged.</summary>
    public void Preserved(ReadOnlyMemory<byte> fields)
    {
        if (!fields.IsEmpty)
            Raw(fields.Span);
    }

    public static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    protected abstract void Raw(ReadOnlySpan<byte> bytes);

    protected abstract void MessageBody(IProtoMessage message, long size);

    protected abstract void BlobBody(IProtoBlob blob);

    private void Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    private void Varint(ulong value)
    {
        Span<byte> bytes = stackalloc byte[10];
        var n = 0;
        while (value >= 0x80)
        {
            bytes[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        bytes[n++] = (byte)value;
        Raw(bytes[..n]);
    }
}

/// <summary>Counts the encoded size of a message without producing bytes (blobs count by their length).</summary>
internal sealed class ProtoSizer : ProtoOutput
{
    private long _size;

    public static long SizeOf(IProtoMessage message)
    {
        var sizer = new ProtoSizer();
        message.WriteFields(sizer);
        return sizer._size;
    }

    protected override void Raw(ReadOnlySpan<byte> bytes) => _size += bytes.Length;

    protected override void MessageBody(IProtoMessage message, long size) => _size += size;

    protected override void BlobBody(IProtoBlob blob) => _size += blob.ByteLength;
}

/// <summary>Writes the encoded message to a stream; blobs stream themselves, so nothing large is buffered.</summary>
internal sealed class ProtoStreamWriter(Stream destination) : ProtoOutput
{
    public void WriteMessage(IProtoMessage message) => message.WriteFields(this);

    protected override void Raw(ReadOnlySpan<byte> bytes) => destination.Write(bytes);

    protected override void MessageBody(IProtoMessage message, long size)
    {
        var start = destination.CanSeek ? destination.Position : -1;
        message.WriteFields(this);
        if (start >= 0 && destination.Position - start != size)
            throw new InvalidOperationException($"protobuf message wrote {destination.Position - start} bytes, sized {size}");
    }

    protected override void BlobBody(IProtoBlob blob)
    {
        var start = destination.CanSeek ? destination.Position : -1;
        blob.WriteTo(destination);
        if (start >= 0 && destination.Position - start != blob.ByteLength)
            throw new InvalidOperationException($"tensor data wrote {destination.Position - start} bytes, declared {blob.ByteLength}");
    }
}
