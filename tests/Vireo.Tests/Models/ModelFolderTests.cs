using Vireo.Models;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

public class ModelFolderTests
{
    private static string Folder(params string[] files)
    {
        var root = TestVideos.NewPath("model");
        foreach (var file in files)
        {
            var path = Path.Combine(root, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "x");
        }
        return root;
    }

    [Fact]
    public void Recognises_the_hugging_face_layout()
    {
        var root = Folder("onnx/text_model.onnx", "onnx/vision_model.onnx", "onnx/text_model_quantized.onnx", "onnx/vision_model_quantized.onnx",
            "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json", "config.json");

        var files = ModelFolder.Locate(root);
        Assert.Equal(ModelLayout.HuggingFace, files.Layout);
        Assert.EndsWith("onnx/text_model.onnx", files.TextModel, StringComparison.Ordinal);
        Assert.EndsWith("onnx/vision_model.onnx", files.VisionModel, StringComparison.Ordinal);
        Assert.NotNull(files.PreprocessorConfig);
        Assert.NotNull(files.TokenizerConfig);

        var quantized = ModelFolder.Locate(root, ModelVariant.Quantized);
        Assert.EndsWith("onnx/text_model_quantized.onnx", quantized.TextModel, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_the_files_directly_in_the_folder_and_a_combined_model()
    {
        var flat = ModelFolder.Locate(Folder("text_model.onnx", "vision_model.onnx", "vocab.json", "merges.txt"));
        Assert.EndsWith("/text_model.onnx", flat.TextModel, StringComparison.Ordinal);

        var combined = ModelFolder.Locate(Folder("onnx/model.onnx", "tokenizer.json"));
        Assert.Null(combined.TextModel);
        Assert.EndsWith("onnx/model.onnx", combined.CombinedModel, StringComparison.Ordinal);
    }

    [Fact]
    public void Recognises_the_immich_layout()
    {
        var files = ModelFolder.Locate(Folder("textual/model.onnx", "visual/model.onnx", "visual/preprocess_cfg.json", "config.json",
            "textual/tokenizer.json", "textual/tokenizer_config.json"));

        Assert.Equal(ModelLayout.Immich, files.Layout);
        Assert.EndsWith("textual", files.TokenizerFolder, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_matching_no_layout_lists_what_it_found_and_what_was_expected()
    {
        var root = Folder("weights.safetensors", "notes.txt");

        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Locate(root));
        Assert.Contains(root, error.Message, StringComparison.Ordinal);
        Assert.Contains("weights.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("onnx/text_model.onnx", error.Message, StringComparison.Ordinal);
        Assert.Equal(["notes.txt", "weights.safetensors"], error.Found);
    }

    [Fact]
    public void Missing_pieces_are_named()
    {
        Assert.Contains("vision_model.onnx is missing",
            Assert.Throws<ModelFolderException>(() => ModelFolder.Locate(Folder("onnx/text_model.onnx", "tokenizer.json"))).Message, StringComparison.Ordinal);
        Assert.Contains("no tokenizer files",
            Assert.Throws<ModelFolderException>(() => ModelFolder.Locate(Folder("onnx/text_model.onnx", "onnx/vision_model.onnx"))).Message, StringComparison.Ordinal);
        Assert.Contains("missing visual",
            Assert.Throws<ModelFolderException>(() => ModelFolder.Locate(Folder("textual/model.onnx", "config.json", "textual/tokenizer.json"))).Message, StringComparison.Ordinal);
        Assert.Contains("no fp16 variant",
            Assert.Throws<ModelFolderException>(() => ModelFolder.Locate(Folder("onnx/text_model.onnx", "onnx/vision_model.onnx", "tokenizer.json"), ModelVariant.Fp16)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist",
            Assert.Throws<ModelFolderException>(() => ModelFolder.Locate(TestVideos.NewPath("absent"))).Message, StringComparison.Ordinal);
    }
}
