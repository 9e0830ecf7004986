using Vireo.Onnx.Protobuf;

namespace Vireo.Onnx;

/// <summary>An operator set a model imports: a domain ("" is the default ONNX domain) and its version.</summary>
public sealed record OpsetImport(string Domain, long Version) : IProtoMessage
{
    void IProtoMessage.WriteFields(ProtoOutput output)
    {
        if (Domain.Length > 0)
            output.String(1, Domain);   // OperatorSetIdProto.domain
        output.Int64(2, Version);       // OperatorSetIdProto.version
    }
}

/// <summary>
/// A complete ONNX model (ModelProto). <see cref="SaveAsync"/> streams it to a file: sizes of nested
/// messages are computed first, then every byte is written once, tensor data straight from its source.
/// </summary>
public sealed class OnnxModel(OnnxGraph graph, IReadOnlyList<OpsetImport> opsets, long irVersion = OnnxModel.DefaultIrVersion) : IProtoMessage
{
    /// <summary>IR version 8 (ONNX 1.13) covers opsets up to 18.</summary>
    public const long DefaultIrVersion = 8;

    public const int DefaultOpset = 18;

    // ModelProto field numbers (onnx.proto).
    private const int IrVersionField = 1;
    private const int ProducerNameField = 2;
    private const int ProducerVersionField = 3;
    private const int DocStringField = 6;
    private const int GraphField = 7;
    private const int OpsetImportField = 8;

    public OnnxGraph Graph { get; } = graph ?? throw new ArgumentNullException(nameof(graph));

    public IReadOnlyList<OpsetImport> Opsets { get; } = [.. opsets];

    public long IrVersion { get; } = irVersion;

    public string ProducerName { get; init; } = "vireo";

    public string ProducerVersion { get; init; } = "0.1";

    public string DocString { get; init; } = "";

    /// <summary>Fields of a model read from a file that this class does not model (metadata_props, model_version ...), written back unchanged.</summary>
    internal ReadOnlyMemory<byte> PreservedFields { get; init; }

    /// <summary>The exact size of the serialized model in bytes.</summary>
    public long SerializedSize => ProtoSizer.SizeOf(this);

    public void WriteTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        new ProtoStreamWriter(destination).WriteMessage(this);
    }

    /// <summary>Writes the model to <paramref name="path"/> (through a temporary file, so a cancelled write leaves nothing).</summary>
    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var partial = path + ".partial";
        try
        {
            await Task.Run(() =>
            {
                using var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
                using var guarded = new CancellableWriteStream(file, cancellationToken);
                WriteTo(guarded);
            }, cancellationToken).ConfigureAwait(false);
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial))
                File.Delete(partial);
        }
    }

    /// <summary>Serializes to a byte array (small models only).</summary>
    public byte[] ToArray()
    {
        using var memory = new MemoryStream();
        WriteTo(memory);
        return memory.ToArray();
    }

    void IProtoMessage.WriteFields(ProtoOutput output)
    {
        output.Int64(IrVersionField, IrVersion);
        output.String(ProducerNameField, ProducerName);
        output.String(ProducerVersionField, ProducerVersion);
        if (DocString.Length > 0)
            output.String(DocStringField, DocString);
        output.Message(GraphField, Graph);
        foreach (var opset in Opsets)
            output.Message(OpsetImportField, opset);
        output.Preserved(PreservedFields);
    }
}
