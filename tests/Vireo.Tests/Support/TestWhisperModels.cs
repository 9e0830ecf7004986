using Vireo.Synthetic.Whisper;

namespace Vireo.Tests.Support;

/// <summary>
/// Tiny random-weight Whisper models in the real ggml format (<see cref="TinyWhisperModel"/>), written once per test
/// run: whisper.cpp loads them and runs the whole transcription path, so the speech channel is tested without a
/// download. Their text is noise; a real model is needed for quality (VIREO_WHISPER_MODEL).
/// </summary>
public static class TestWhisperModels
{
    private static readonly Lazy<string> LazyMultilingual = new(() =>
        TinyWhisperModel.Write(Path.Combine(TestVideos.Folder, "whisper", "ggml-tiny-random.bin")));

    private static readonly Lazy<string> LazyEnglish = new(() =>
        TinyWhisperModel.Write(Path.Combine(TestVideos.Folder, "whisper", "ggml-tiny-random.en.bin"),
            new WhisperDimensions(Vocabulary: WhisperDimensions.EnglishVocabulary)));

    /// <summary>Multilingual (n_vocab 51865): whisper.cpp detects a language with it.</summary>
    public static string Multilingual => LazyMultilingual.Value;

    /// <summary>English-only (n_vocab 51864).</summary>
    public static string English => LazyEnglish.Value;
}
