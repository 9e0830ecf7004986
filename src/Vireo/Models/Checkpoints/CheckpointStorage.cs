using System.Buffers.Binary;
using System.IO.Compression;
using Razorvine.Pickle;

namespace Vireo.Models.Checkpoints;

/// <summary>A torch storage type (the pickled global <c>torch.FloatStorage</c> and its kin): its element size and how an element becomes a float.</summary>
internal sealed class StorageType(string name) : IObjectConstructor
{
    public static readonly string[] Names = ["FloatStorage", "HalfStorage", "BFloat16Storage", "DoubleStorage", "LongStorage", "IntStorage", "ShortStorage", "ByteStorage", "CharStorage", "BoolStorage"];

    public string Name { get; } = name;

    public int ElementSize => Name switch
    {
        "DoubleStorage" or "LongStorage" => 8,
        "FloatStorage" or "IntStorage" => 4,
        "HalfStorage" or "BFloat16Storage" or "ShortStorage" => 2,
        _ => 1,
    };

    public float Element(ReadOnlySpan<byte> bytes) => Name switch
    {
        "FloatStorage" => BinaryPrimitives.ReadSingleLittleEndian(bytes),
        "HalfStorage" => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes),
        "BFloat16Storage" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16),
        "DoubleStorage" => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        "LongStorage" => BinaryPrimitives.ReadInt64LittleEndian(bytes),
        "IntStorage" => BinaryPrimitives.ReadInt32LittleEndian(bytes),
        "ShortStorage" => BinaryPrimitives.ReadInt16LittleEndian(bytes),
        "CharStorage" => (sbyte)bytes[0],
        _ => bytes[0],
    };

    public object construct(object[] args) => throw new PickleException($"torch.{Name} is a storage type, not something to call");
}

/// <summary>Where a storage's bytes are: an entry of the checkpoint's zip.</summary>
internal sealed record StorageReference(StorageType Type, string Entry, long Count);

/// <summary>A tensor as the pickle describes it: a view (offset, shape, strides in elements) of a storage, read on demand.</summary>
internal sealed record TensorReference(StorageReference Storage, long Offset, long[] Shape, long[] Strides)
{
    public CheckpointTensor Read(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry(Storage.Entry) ?? throw new CheckpointException(path, $"the storage {Storage.Entry} is missing (truncated file?)");
        var size = Storage.Type.ElementSize;
        if (entry.Length != Storage.Count * size)
            throw new CheckpointException(path, $"the storage {Storage.Entry} has {entry.Length} bytes, {Storage.Count * size} expected (truncated file?)");
        var bytes = new byte[entry.Length];
        using (var stream = entry.Open())
            stream.ReadExactly(bytes);
        var count = Shape.Aggregate(1L, (a, b) => a * b);
        var data = new float[count];
        var index = new long[Shape.Length];
        for (long i = 0; i < count; i++)
        {
            var at = Offset;
            for (var d = 0; d < Shape.Length; d++)
                at += index[d] * Strides[d];
            if (at < 0 || at >= Storage.Count)
                throw new CheckpointException(path, $"a tensor of shape [{string.Join(", ", Shape)}] reaches outside its storage {Storage.Entry}");
            data[i] = Storage.Type.Element(bytes.AsSpan((int)(at * size), size));
            for (var d = Shape.Length - 1; d >= 0; d--)
            {
                if (++index[d] < Shape[d])
                    break;
                index[d] = 0;
            }
        }
        return new CheckpointTensor(Shape, data, Storage.Type.Name);
    }
}
