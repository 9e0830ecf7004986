using System.Text;
using Vireo.Synthetic.Onnx;

namespace Vireo.Synthetic.Whisper;

/// <summary>
/// Writes a Whisper model in whisper.cpp's ggml file format with random weights, small enough to generate in a test,
/// real enough that whisper.cpp (through Whisper.net) loads it and runs the whole transcription path on it.
/// </summary>
/// <remarks>
/// The layout, as whisper.cpp's <c>whisper_model_load</c> reads it (all little-endian): the magic 0x67676d6c; eleven
/// int32 hyperparameters (<see cref="WhisperDimensions"/>, then ftype); the mel filterbank (int32 bands, int32 bins,
/// float32[bands·bins]); the vocabulary (int32 count, then per token a uint32 length and its bytes; ids past the
/// count are named by the loader); then tensors until the end of the file, each an int32 rank, int32 name length,
/// int32 ggml type, int32 extents innermost first, the name, and the raw elements. The loader finds tensors by name
/// and refuses unknown names, wrong extents and a file that stops before every tensor was read.
/// </remarks>
public static class TinyWhisperModel
{
    private const uint Magic = 0x67676d6c;
    private const int GgmlTypeF32 = 0;
    private const int GgmlTypeF16 = 1;

    /// <summary>Writes the model to <paramref name="path"/> and returns the path.</summary>
    public static string Write(string path, WhisperDimensions? dimensions = null, ulong seed = 1)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(file, dimensions ?? new WhisperDimensions(), seed);
        return path;
    }

    /// <summary>Writes the model to <paramref name="output"/>.</summary>
    public static void Write(Stream output, WhisperDimensions dimensions, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.State % dimensions.Heads != 0)
            throw new ArgumentException("the state width must be a multiple of the head count", nameof(dimensions));
        using var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        WriteHeader(writer, dimensions);
        WriteMelFilters(writer, dimensions.MelBands);
        WriteVocabulary(writer);
        foreach (var tensor in WhisperTensors.For(dimensions))
            WriteTensor(writer, tensor, dimensions.Precision, seed);
    }

    private static void WriteHeader(BinaryWriter writer, WhisperDimensions d)
    {
        writer.Write(Magic);
        foreach (var value in new[] { d.Vocabulary, d.AudioContext, d.State, d.Heads, d.AudioLayers, d.TextContext, d.State, d.Heads, d.TextLayers, d.MelBands, (int)d.Precision })
            writer.Write(value);
    }

    private static void WriteMelFilters(BinaryWriter writer, int bands)
    {
        writer.Write(bands);
        writer.Write(WhisperDimensions.FrequencyBins);
        foreach (var weight in MelFilterbank.Triangular(bands, WhisperDimensions.FrequencyBins, sampleRate: 16_000))
            writer.Write(weight);
    }

    /// <summary>Only the ordinary text tokens are written: whisper.cpp names the special ones itself.</summary>
    private static void WriteVocabulary(BinaryWriter writer)
    {
        writer.Write(WhisperDimensions.TextTokens);
        for (var id = 0; id < WhisperDimensions.TextTokens; id++)
        {
            var bytes = Encoding.ASCII.GetBytes(PseudoWords.Token(id));
            writer.Write((uint)bytes.Length);
            writer.Write(bytes);
        }
    }

    private static void WriteTensor(BinaryWriter writer, WhisperTensor tensor, GgmlPrecision precision, ulong seed)
    {
        var half = tensor.IsMatrix && precision == GgmlPrecision.F16;
        var name = Encoding.ASCII.GetBytes(tensor.Name);
        writer.Write(tensor.Extents.Length);
        writer.Write(name.Length);
        writer.Write(half ? GgmlTypeF16 : GgmlTypeF32);
        foreach (var extent in tensor.Extents)
            writer.Write(extent);
        writer.Write(name);
        var random = new SeededRandom(seed, tensor.Name);
        for (long i = 0; i < tensor.ElementCount; i++)
        {
            var value = tensor.Fill switch
            {
                TensorFill.One => 1f + random.NextCentered(0.02f),
                TensorFill.Small => random.NextCentered(0.02f),
                _ => random.NextCentered(tensor.Scale),
            };
            if (half)
                writer.Write((Half)value);
            else
                writer.Write(value);
        }
    }
}
