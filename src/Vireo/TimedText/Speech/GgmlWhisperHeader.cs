using Vireo.Models;

namespace Vireo.TimedText.Speech;

/// <summary>
/// The start of a ggml Whisper file (whisper.cpp's format): the magic 0x67676d6c, then eleven little-endian int32
/// hyperparameters. Read before the file reaches native code, so a file that is not a Whisper model is refused with
/// its name and the reason instead of failing inside whisper.cpp.
/// </summary>
/// <param name="Vocabulary">n_vocab: 51864 for English-only models, 51865 or more for multilingual ones.</param>
/// <param name="AudioLayers">Encoder blocks: 4 tiny, 6 base, 12 small, 24 medium, 32 large.</param>
/// <param name="State">Encoder width.</param>
/// <param name="FileType">ftype: 0 float32, 1 float16, higher values quantized.</param>
public sealed record GgmlWhisperHeader(int Vocabulary, int AudioLayers, int State, int FileType)
{
    private const uint Magic = 0x67676d6c;
    private const int MultilingualVocabulary = 51865;

    /// <summary>Whether the model transcribes languages other than English (and detects the language).</summary>
    public bool IsMultilingual => Vocabulary >= MultilingualVocabulary;

    /// <summary>whisper.cpp's size name for the depth, or "custom".</summary>
    public string Size => AudioLayers switch
    {
        4 => "tiny",
        6 => "base",
        12 => "small",
        24 => "medium",
        32 => "large",
        _ => "custom",
    };

    /// <exception cref="ModelFileException">Not a ggml Whisper file, or truncated.</exception>
    public static GgmlWhisperHeader Read(string path)
    {
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (reader.BaseStream.Length < 4 + 11 * 4 || reader.ReadUInt32() != Magic)
                throw new ModelFileException(path, "not a ggml Whisper model (whisper.cpp's format starts with the magic 0x67676d6c); get one with 'vireo models pull whisper-base'");
            var fields = new int[11];
            for (var i = 0; i < fields.Length; i++)
                fields[i] = reader.ReadInt32();
            var header = new GgmlWhisperHeader(Vocabulary: fields[0], AudioLayers: fields[4], State: fields[2], FileType: fields[10]);
            if (header.Vocabulary < 51864 || header.AudioLayers <= 0 || header.State <= 0 || fields[2] != fields[6])
                throw new ModelFileException(path, $"a ggml file whose hyperparameters are not a Whisper model's (n_vocab {fields[0]}, n_audio_state {fields[2]}, n_text_state {fields[6]})");
            return header;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFileException(path, "the Whisper model cannot be read: " + e.Message, e);
        }
    }
}
