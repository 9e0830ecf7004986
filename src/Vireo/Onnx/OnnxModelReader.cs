using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Vireo.Errors;
using Vireo.Onnx.Protobuf;

namespace Vireo.Onnx;

/// <summary>An ONNX file that cannot be read or rewritten: not ONNX, truncated, or using what Vireo does not support; it names the file.</summary>
public sealed class OnnxFormatException(string path, string problem, Exception? inner = null)
    : VireoException(ErrorKind.Input, $"{path}: {problem}", path, problem, inner)
{
    public string FilePath { get; } = path;
}

/// <summary>
/// Reads an ONNX model (ModelProto) into the same classes the writer uses, so a model can be read, rewritten and
/// saved. The file is read into memory once and tensor data stays there, referenced; fields the classes do not model
/// (doc strings, metadata, attributes of other kinds, values that are not tensors) are kept as they were encoded and
/// written back unchanged. Models whose weights live in external data files, and model-local functions, are refused
/// with a message naming the file.
/// </summary>
public static class OnnxModelReader
{
    /// <summary>Files above 2 GB cannot be single protobuf messages; such models keep their weights as external data.</summary>
    private const long MaxFileSize = int.MaxValue;

    /// <exception cref="OnnxFormatException">The file is not a readable ONNX model, or uses what is not supported.</exception>
    public static OnnxModel Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxFileSize)
                throw new OnnxFormatException(path, $"the file is {length / 1e9:0.0} GB; models above 2 GB keep their weights as external data, which is not supported");
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxFormatException(path, "cannot be read: " + e.Message, e);
        }
        return Read(bytes, path);
    }

    /// <summary>Parses a serialized model; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="OnnxFormatException">The bytes are not a readable ONNX model, or use what is not supported.</exception>
    public static OnnxModel Read(ReadOnlyMemory<byte> bytes, string name)
    {
        try
        {
            return ReadModel(new ProtoReader(bytes), name);
        }
        catch (ProtoFormatException e)
        {
            throw new OnnxFormatException(name, "not a valid ONNX model (truncated or not protobuf): " + e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new OnnxFormatException(name, "not a valid ONNX model: " + e.Message, e);
        }
    }

    private static OnnxModel ReadModel(ProtoReader reader, string name)
    {
        long irVersion = 0;
        string producerName = "", producerVersion = "", docString = "";
        OnnxGraph? graph = null;
        var opsets = new List<OpsetImport>();
        var preserved = new List<byte>();
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: irVersion = reader.Int64(); break;
                case 2: producerName = reader.String(); break;
                case 3: producerVersion = reader.String(); break;
                case 6: docString = reader.String(); break;
                case 7: graph = ReadGraph(reader.Message(), name); break;
                case 8: opsets.Add(ReadOpset(reader.Message())); break;
                case 25: throw new OnnxFormatException(name, "the model defines local functions (a dynamo export?); only models of plain operators can be rewritten");
                default: Keep(ref reader, preserved); break;
            }
        }
        if (graph is null)
            throw new OnnxFormatException(name, "not an ONNX model: it has no graph");
        return new OnnxModel(graph, opsets, irVersion)
        {
            ProducerName = producerName,
            ProducerVersion = producerVersion,
            DocString = docString,
            PreservedFields = preserved.ToArray(),
        };
    }

    private static OpsetImport ReadOpset(ProtoReader reader)
    {
        var (domain, version) = ("", 0L);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: domain = reader.String(); break;
                case 2: version = reader.Int64(); break;
                default: reader.Skip(); break;
            }
        }
        return new OpsetImport(domain, version);
    }

    private static OnnxGraph ReadGraph(ProtoReader reader, string file)
    {
        var name = "";
        List<OnnxNode> nodes = [];
        List<OnnxTensor> initializers = [];
        List<OnnxValueInfo> inputs = [], outputs = [], valueInfo = [];
        var preserved = new List<byte>();
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: nodes.Add(ReadNode(reader.Message(), file)); break;
                case 2: name = reader.String(); break;
                case 5: initializers.Add(ReadTensor(reader.Message(), file)); break;
                case 11: inputs.Add(ReadValueInfo(reader.Bytes())); break;
                case 12: outputs.Add(ReadValueInfo(reader.Bytes())); break;
                case 13: valueInfo.Add(ReadValueInfo(reader.Bytes())); break;
                default: Keep(ref reader, preserved); break;
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs, valueInfo) { PreservedFields = preserved.ToArray() };
    }

    private static OnnxNode ReadNode(ProtoReader reader, string file)
    {
        List<string> inputs = [], outputs = [];
        List<OnnxAttribute> attributes = [];
        string name = "", opType = "", domain = "";
        var preserved = new List<byte>();
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: inputs.Add(reader.String()); break;
                case 2: outputs.Add(reader.String()); break;
                case 3: name = reader.String(); break;
                case 4: opType = reader.String(); break;
                case 5: attributes.Add(ReadAttribute(reader.Bytes(), file)); break;
                case 7: domain = reader.String(); break;
                default: Keep(ref reader, preserved); break;
            }
        }
        return new OnnxNode(opType, inputs, outputs, name, attributes, domain) { PreservedFields = preserved.ToArray() };
    }

    private static OnnxAttribute ReadAttribute(ReadOnlyMemory<byte> encoded, string file)
    {
        var reader = new ProtoReader(encoded);
        string name = "";
        string? text = null;
        OnnxAttributeType type = 0;
        float single = 0;
        long integer = 0;
        OnnxTensor? tensor = null;
        List<float> floats = [];
        List<long> ints = [];
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: name = reader.String(); break;
                case 2: single = reader.Float(); break;
                case 3: integer = reader.Int64(); break;
                case 4: text = reader.String(); break;
                case 5: tensor = ReadTensor(reader.Message(), file); break;
                case 7: reader.Floats(floats); break;
                case 8: reader.Int64s(ints); break;
                case 20: type = (OnnxAttributeType)reader.Int32(); break;
                default: reader.Skip(); break;
            }
        }
        if (name.Length == 0)
            throw new OnnxFormatException(file, "a node attribute has no name");
        return OnnxAttribute.Read(encoded, name, type, single, integer, text, tensor, floats, ints);
    }

    private static OnnxValueInfo ReadValueInfo(ReadOnlyMemory<byte> encoded)
    {
        var reader = new ProtoReader(encoded);
        var name = "";
        OnnxDataType? elementType = null;
        List<Dim>? shape = null;
        var tensorType = false;
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: name = reader.String(); break;
                case 2:
                    var type = reader.Message();
                    while (type.Next())
                    {
                        if (type.Field != 1)
                        {
                            type.Skip();
                            continue;
                        }
                        tensorType = true;
                        var tensor = type.Message();
                        while (tensor.Next())
                        {
                            switch (tensor.Field)
                            {
                                case 1: elementType = (OnnxDataType)tensor.Int32(); break;
                                case 2: shape = ReadShape(tensor.Message()); break;
                                default: tensor.Skip(); break;
                            }
                        }
                    }
                    break;
                default: reader.Skip(); break;
            }
        }
        return tensorType && elementType is { } element ? new OnnxValueInfo(name, element, shape) : OnnxValueInfo.Preserved(name, encoded);
    }

    private static List<Dim> ReadShape(ProtoReader reader)
    {
        var dims = new List<Dim>();
        while (reader.Next())
        {
            if (reader.Field != 1)
            {
                reader.Skip();
                continue;
            }
            var dimension = reader.Message();
            var dim = Dim.Unknown;
            while (dimension.Next())
            {
                switch (dimension.Field)
                {
                    case 1: dim = Dim.Fixed(dimension.Int64()); break;
                    case 2: dim = dimension.String() is { Length: > 0 } param ? Dim.Symbolic(param) : Dim.Unknown; break;
                    default: dimension.Skip(); break;
                }
            }
            dims.Add(dim);
        }
        return dims;
    }

    private static OnnxTensor ReadTensor(ProtoReader reader, string file)
    {
        var name = "";
        var dataType = (OnnxDataType)0;
        List<long> dims = [];
        ReadOnlyMemory<byte>? raw = null;
        List<float> floats = [];
        List<long> integers = [];
        List<double> doubles = [];
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: reader.Int64s(dims); break;
                case 2: dataType = (OnnxDataType)reader.Int32(); break;
                case 4: reader.Floats(floats); break;
                case 5 or 7 or 11: reader.Int64s(integers); break;   // int32_data, int64_data, uint64_data (all varints)
                case 6: throw new OnnxFormatException(file, $"tensor '{name}' holds strings, which are not supported");
                case 8: name = reader.String(); break;
                case 9: raw = reader.Bytes(); break;
                case 10: reader.Doubles(doubles); break;
                case 13 or 14: throw new OnnxFormatException(file, $"tensor '{name}' keeps its data in an external file, which is not supported (save the model with its weights inside)");
                default: reader.Skip(); break;
            }
        }
        if (!Enum.IsDefined(dataType) || dataType == OnnxDataType.String)
            throw new OnnxFormatException(file, $"tensor '{name}' has element type {(int)dataType}, which is not supported");
        var bytes = raw ?? TypedBytes(dataType, floats, integers, doubles);
        return new OnnxTensor(name, new RawTensorData(dataType, dims, bytes));
    }

    /// <summary>The little-endian bytes of a tensor stored in the typed fields (float_data, int32_data ...) instead of raw_data.</summary>
    private static byte[] TypedBytes(OnnxDataType type, List<float> floats, List<long> integers, List<double> doubles)
    {
        switch (type)
        {
            case OnnxDataType.Float:
                return MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(floats)).ToArray();
            case OnnxDataType.Double:
                return MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(doubles)).ToArray();
            case OnnxDataType.Int64 or OnnxDataType.UInt64:
                return MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(integers)).ToArray();
            default:
                // int32_data carries every element type of 4 bytes or fewer, one element per value (float16 as its bits).
                var size = OnnxDataTypes.SizeOf(type);
                var bytes = new byte[integers.Count * size];
                Span<byte> element = stackalloc byte[8];
                for (var i = 0; i < integers.Count; i++)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(element, integers[i]);
                    element[..size].CopyTo(bytes.AsSpan(i * size));
                }
                return bytes;
        }
    }

    private static void Keep(ref ProtoReader reader, List<byte> preserved)
    {
        reader.Skip();
        preserved.AddRange(reader.FieldBytes.Span);
    }
}
