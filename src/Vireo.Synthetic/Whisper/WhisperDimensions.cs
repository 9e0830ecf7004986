namespace Vireo.Synthetic.Whisper;

/// <summary>
/// The hyperparameters a ggml Whisper file starts with, in file order. The defaults are the smallest network
/// whisper.cpp runs unchanged: the audio context stays 1500 (30 s windows of 3000 mel frames halved by the
/// second convolution) and the vocabulary stays Whisper's (timestamp and language tokens are identified by id),
/// while width and depth shrink to one layer of 32 units.
/// </summary>
/// <param name="Vocabulary">51864 (English-only) or 51865 (multilingual, 99 languages): whisper.cpp derives the special token ids from it.</param>
/// <param name="AudioContext">Encoder positions per 30 s window.</param>
/// <param name="State">Width of encoder and decoder (whisper.cpp requires them equal).</param>
/// <param name="Heads">Attention heads of encoder and decoder; divides <paramref name="State"/>.</param>
/// <param name="AudioLayers">Encoder blocks.</param>
/// <param name="TextContext">Decoder positions.</param>
/// <param name="TextLayers">Decoder blocks.</param>
/// <param name="MelBands">Mel bands of the input spectrogram.</param>
/// <param name="Precision">How the large matrices are stored.</param>
public sealed record WhisperDimensions(
    int Vocabulary = WhisperDimensions.MultilingualVocabulary,
    int AudioContext = 1500,
    int State = 32,
    int Heads = 2,
    int AudioLayers = 1,
    int TextContext = 448,
    int TextLayers = 1,
    int MelBands = 80,
    GgmlPrecision Precision = GgmlPrecision.F16)
{
    /// <summary>n_vocab of the English-only models (tiny.en, base.en, ...).</summary>
    public const int EnglishVocabulary = 51864;

    /// <summary>n_vocab of the multilingual models before large-v3.</summary>
    public const int MultilingualVocabulary = 51865;

    /// <summary>Ordinary text tokens (GPT-2 byte pairs) before the first special token, end-of-text.</summary>
    public const int TextTokens = 50256;

    /// <summary>Frequency bins of whisper.cpp's 400-point FFT (n_fft / 2 + 1).</summary>
    public const int FrequencyBins = 201;
}

/// <summary>The <c>ftype</c> of a ggml Whisper file: the element type of its weight matrices.</summary>
public enum GgmlPrecision
{
    /// <summary>Every tensor float32 (ftype 0).</summary>
    F32 = 0,

    /// <summary>Matrices and convolution kernels float16, vectors float32 (ftype 1, as the published models).</summary>
    F16 = 1,
}
