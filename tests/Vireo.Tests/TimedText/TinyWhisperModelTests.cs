using Vireo.Errors;
using Vireo.Models;
using Vireo.Synthetic.Whisper;
using Vireo.Tests.Support;
using Vireo.TimedText.Speech;

namespace Vireo.Tests.TimedText;

/// <summary>The generated ggml Whisper model and how the native whisper.cpp runtime takes it.</summary>
public class TinyWhisperModelTests
{
    [Fact]
    public void The_file_starts_with_the_ggml_magic_and_whisper_hyperparameters()
    {
        var header = GgmlWhisperHeader.Read(TestWhisperModels.Multilingual);

        Assert.Equal(WhisperDimensions.MultilingualVocabulary, header.Vocabulary);
        Assert.True(header.IsMultilingual);
        Assert.Equal(1, header.AudioLayers);
        Assert.Equal("custom", header.Size);
        Assert.Equal(1, header.FileType);
        Assert.False(GgmlWhisperHeader.Read(TestWhisperModels.English).IsMultilingual);
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var first = TinyWhisperModel.Write(TestVideos.NewPath("a.bin"));
        var second = TinyWhisperModel.Write(TestVideos.NewPath("b.bin"));

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void The_native_whisper_runtime_loads_the_model_on_this_machine()
    {
        using var model = SpeechModel.Open(TestWhisperModels.Multilingual);

        Assert.Equal("tiny-random", model.Name);
        Assert.Equal("whisper tiny-random", model.Source);
        // whisper.cpp's CPU backend says which instruction sets it was built to use.
        Assert.Contains("CPU", SpeechModel.RuntimeInfo(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_float32_variant_loads_too()
    {
        var path = TinyWhisperModel.Write(TestVideos.NewPath("ggml-f32.bin"), new WhisperDimensions(Precision: GgmlPrecision.F32));

        using var model = SpeechModel.Open(path);
        Assert.Equal(0, model.Header.FileType);
    }

    [Fact]
    public void A_truncated_model_is_refused_by_whisper_cpp_naming_the_file()
    {
        var bytes = File.ReadAllBytes(TestWhisperModels.Multilingual);
        var path = TestVideos.NewPath("ggml-truncated.bin");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<ModelFileException>(() => SpeechModel.Open(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not all tensors loaded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_ggml_model_is_refused_before_native_code()
    {
        var path = TestVideos.NewPath("not-a-model.bin");
        File.WriteAllText(path, "this is text, not a model, and it is long enough to hold a header");

        var error = Assert.Throws<ModelFileException>(() => SpeechModel.Open(path));
        Assert.Contains("0x67676d6c", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_model_file_is_a_dependency_error_saying_how_to_get_one()
    {
        var error = Assert.Throws<ModelNotFoundException>(() => SpeechModel.Open(TestVideos.NewPath("ggml-none.bin")));

        Assert.Equal(ErrorKind.Dependency, error.Kind);
        Assert.Contains("vireo models pull whisper-base", error.Message, StringComparison.Ordinal);
    }
}
