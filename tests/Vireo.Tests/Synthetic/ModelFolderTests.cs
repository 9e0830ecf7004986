using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Vireo.Models;
using Vireo.Synthetic.Clip;
using Vireo.Synthetic.Layouts;
using Vireo.Tests.Onnx;
using Vireo.Tests.Support;

namespace Vireo.Tests.Synthetic;

public class ModelFolderTests
{
    private static JsonNode Json(string path) => JsonNode.Parse(File.ReadAllText(path))!;

    private static string Relative(SyntheticModelFolder folder, string path) => Path.GetRelativePath(folder.Root, path).Replace('\\', '/');

    [Fact]
    public async Task Hugging_face_folder_has_every_file_of_the_transformers_js_layout()
    {
        var folder = await TestModels.TinyHuggingFaceAsync();

        string[] expected =
        [
            "config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt",
            "onnx/text_model.onnx", "onnx/vision_model.onnx", "onnx/model.onnx",
            "onnx/text_model_fp16.onnx", "onnx/vision_model_fp16.onnx", "onnx/model_fp16.onnx",
            "onnx/text_model_quantized.onnx", "onnx/vision_model_quantized.onnx", "onnx/model_quantized.onnx",
        ];
        Assert.Equal(expected.Order(), folder.Files.Select(f => Relative(folder, f)).Order());
        Assert.All(folder.Files, f => Assert.True(File.Exists(f), f));
        Assert.Empty(Directory.EnumerateFiles(folder.Root, "*.partial", SearchOption.AllDirectories));

        var config = Json(Path.Combine(folder.Root, "config.json"));
        Assert.Equal(32, (int)config["projection_dim"]!);
        Assert.Equal(49408, (int)config["text_config"]!["vocab_size"]!);
        Assert.Equal(32, (int)config["vision_config"]!["image_size"]!);
        var preprocessor = Json(Path.Combine(folder.Root, "preprocessor_config.json"));
        Assert.Equal(32, (int)preprocessor["size"]!["shortest_edge"]!);
        Assert.Equal(32, (int)preprocessor["crop_size"]!["height"]!);
        Assert.Equal(3, (int)preprocessor["resample"]!);
        Assert.True((bool)preprocessor["do_center_crop"]!);
        Assert.Equal(0.48145466, (double)preprocessor["image_mean"]![0]!);
        Assert.Equal(0.27577711, (double)preprocessor["image_std"]![2]!);
        var tokenizerConfig = Json(Path.Combine(folder.Root, "tokenizer_config.json"));
        Assert.Equal("<|endoftext|>", (string)tokenizerConfig["pad_token"]!);
        Assert.Equal(77, (int)tokenizerConfig["model_max_length"]!);
    }

    [Fact]
    public async Task Every_hugging_face_model_loads_with_the_expected_signature()
    {
        var folder = await TestModels.TinyHuggingFaceAsync();

        foreach (var ((kind, precision), path) in folder.Encoders)
        {
            using var session = OrtTestRunner.Load(path);
            var floatType = TensorElementType.Float; // float16 variants keep float32 I/O (transformers.js keep_io_types)
            switch (kind)
            {
                case EncoderKind.Vision:
                    AssertInput(session, "pixel_values", floatType, ["batch_size", "num_channels", "height", "width"]);
                    AssertOutput(session, "image_embeds", floatType, ["batch_size", ""], [-1, 32]);
                    break;
                case EncoderKind.Text:
                    AssertInput(session, "input_ids", TensorElementType.Int64, ["batch_size", "sequence_length"]);
                    AssertOutput(session, "text_embeds", floatType, ["batch_size", ""], [-1, 32]);
                    break;
                default:
                    Assert.Equal(["input_ids", "pixel_values", "attention_mask"], session.InputNames);
                    Assert.Equal(["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"], session.OutputNames);
                    Assert.Equal(["image_batch_size", "text_batch_size"], session.OutputMetadata["logits_per_image"].SymbolicDimensions);
                    break;
            }
            Assert.True(precision is WeightPrecision.Float32 or WeightPrecision.Float16 or WeightPrecision.Int8);
        }
    }

    [Fact]
    public async Task Flat_variant_keeps_the_models_beside_the_config()
    {
        var folder = await TestModels.TinyHuggingFaceFlatAsync();

        Assert.Equal(ModelLayout.HuggingFace, folder.Layout);
        Assert.Equal(Path.Combine(folder.Root, "vision_model.onnx"), folder.EncoderPath(EncoderKind.Vision));
        Assert.True(File.Exists(Path.Combine(folder.Root, "text_model.onnx")));
        Assert.False(Directory.Exists(Path.Combine(folder.Root, "onnx")));
        Assert.Throws<KeyNotFoundException>(() => folder.EncoderPath(EncoderKind.Combined));
    }

    [Fact]
    public async Task Immich_folder_has_its_layout_and_fixed_shapes()
    {
        var folder = await TestModels.TinyImmichAsync();

        string[] expected =
        [
            "config.json", "visual/model.onnx", "visual/preprocess_cfg.json", "textual/model.onnx",
            "textual/tokenizer.json", "textual/tokenizer_config.json", "textual/special_tokens_map.json", "textual/vocab.json", "textual/merges.txt",
        ];
        Assert.Equal(expected.Order(), folder.Files.Select(f => Relative(folder, f)).Order());
        var config = Json(Path.Combine(folder.Root, "config.json"));
        Assert.Equal(32, (int)config["embed_dim"]!);
        Assert.Equal(77, (int)config["text_cfg"]!["context_length"]!);
        Assert.Equal(49408, (int)config["text_cfg"]!["vocab_size"]!);
        var preprocess = Json(Path.Combine(folder.Root, "visual", "preprocess_cfg.json"));
        Assert.Equal("bicubic", (string)preprocess["interpolation"]!);
        Assert.Equal("shortest", (string)preprocess["resize_mode"]!);
        Assert.Equal(32, (int)preprocess["size"]![0]!);

        using var visual = OrtTestRunner.Load(folder.EncoderPath(EncoderKind.Vision));
        using var textual = OrtTestRunner.Load(folder.EncoderPath(EncoderKind.Text));
        AssertInput(visual, "image", TensorElementType.Float, ["", "", "", ""], [1, 3, 32, 32]);
        AssertOutput(visual, "embedding", TensorElementType.Float, ["", ""], [1, 32]);
        AssertInput(textual, "text", TensorElementType.Int32, ["", ""], [1, 77]);
        AssertOutput(textual, "embedding", TensorElementType.Float, ["", ""], [1, 32]);
    }

    [Fact]
    public async Task Float16_io_option_makes_the_fp16_variants_take_and_return_float16()
    {
        var folder = TestVideos.NewPath("fp16-io");
        var written = await ModelFolders.WriteHuggingFaceAsync(new RandomClip(ClipArchitecture.Tiny), folder, ClipTestVocabulary.TokenizerSource(),
            new HuggingFaceLayoutOptions { Combined = false, Precisions = [WeightPrecision.Float16], Float16Io = true, Preprocessor = PreprocessorConfigStyle.Legacy }, TestContext.Current.CancellationToken);

        using var vision = OrtTestRunner.Load(written.EncoderPath(EncoderKind.Vision, WeightPrecision.Float16));
        using var text = OrtTestRunner.Load(written.EncoderPath(EncoderKind.Text, WeightPrecision.Float16));
        Assert.Equal(TensorElementType.Float16, vision.InputMetadata["pixel_values"].ElementDataType);
        Assert.Equal(TensorElementType.Float16, vision.OutputMetadata["image_embeds"].ElementDataType);
        Assert.Equal(TensorElementType.Int64, text.InputMetadata["input_ids"].ElementDataType);
        Assert.Equal(TensorElementType.Float16, text.OutputMetadata["text_embeds"].ElementDataType);
        var preprocessor = Json(Path.Combine(folder, "preprocessor_config.json"));
        Assert.Equal(32, (int)preprocessor["size"]!);
        Assert.Equal(32, (int)preprocessor["crop_size"]!);
    }

    [Fact]
    public async Task Tokenizer_files_can_be_copied_from_a_caller_folder()
    {
        var source = await TestModels.TinyImmichAsync();
        var folder = TestVideos.NewPath("copied-tokenizer");

        var written = await ModelFolders.WriteHuggingFaceAsync(new RandomClip(ClipArchitecture.Tiny), folder,
            TokenizerSource.FromFolder(Path.Combine(source.Root, "textual")), new HuggingFaceLayoutOptions { Combined = false, Precisions = [WeightPrecision.Float32] }, TestContext.Current.CancellationToken);

        foreach (var name in TokenizerSource.FileNames)
            Assert.Equal(File.ReadAllBytes(Path.Combine(source.Root, "textual", name)), File.ReadAllBytes(Path.Combine(folder, name)));
        Assert.Equal(4 + TokenizerSource.FileNames.Count, written.Files.Count);
        Assert.Throws<FileNotFoundException>(() => TokenizerSource.FromFolder(Path.Combine(source.Root, "visual")));
    }

    [Fact]
    public async Task Concept_model_folders_work_end_to_end_from_their_files()
    {
        var vocabulary = ClipTestVocabulary.Vocabulary;
        var huggingFace = await TestModels.ConceptHuggingFaceAsync();
        var immich = await TestModels.ConceptImmichAsync();
        var pixels = SyntheticImages.Normalize(SyntheticImages.Solid(224, 0, 0, 255), 224);
        var ids = ClipTestVocabulary.Encode("a blue car").Select(v => (float)v).ToArray();
        var other = ClipTestVocabulary.Encode("a red car").Select(v => (float)v).ToArray();

        using (var vision = OrtTestRunner.Load(huggingFace.EncoderPath(EncoderKind.Vision)))
        using (var text = OrtTestRunner.Load(huggingFace.EncoderPath(EncoderKind.Text)))
        {
            var image = OrtTestRunner.Run(vision, ("pixel_values", new TestTensor(pixels, [1, 3, 224, 224])))["image_embeds"].Values;
            var texts = OrtTestRunner.Run(text, ("input_ids", new TestTensor([.. ids, .. other], [2, 77])))["text_embeds"].Values;
            Assert.True(VectorMath.Cosine(texts.AsSpan(0, 512), image) > 0.95);
            Assert.True(VectorMath.Cosine(texts.AsSpan(512, 512), image) < 0.05);
        }
        using (var visual = OrtTestRunner.Load(immich.EncoderPath(EncoderKind.Vision)))
        using (var textual = OrtTestRunner.Load(immich.EncoderPath(EncoderKind.Text)))
        {
            var image = OrtTestRunner.Run(visual, ("image", new TestTensor(pixels, [1, 3, 224, 224])))["embedding"].Values;
            var text = OrtTestRunner.Run(textual, ("text", new TestTensor(ids, [1, 77])))["embedding"].Values;
            Assert.Equal(1.0, VectorMath.Norm(image), 4);
            Assert.True(VectorMath.Cosine(text, image) > 0.95);
        }
        using var combined = OrtTestRunner.Load(huggingFace.EncoderPath(EncoderKind.Combined));
        var logits = OrtTestRunner.Run(combined,
            ("input_ids", new TestTensor([.. ids, .. other], [2, 77])),
            ("pixel_values", new TestTensor(pixels, [1, 3, 224, 224])),
            ("attention_mask", new TestTensor([.. Enumerable.Repeat(1f, 154)], [2, 77])))["logits_per_image"];
        Assert.Equal([1L, 2], logits.Shape);
        Assert.True(logits.Values[0] > 95 && logits.Values[1] < 5);
    }

    private static void AssertInput(InferenceSession session, string name, TensorElementType type, string[] symbolic, int[]? dims = null) =>
        AssertValue(session.InputMetadata, name, type, symbolic, dims);

    private static void AssertOutput(InferenceSession session, string name, TensorElementType type, string[] symbolic, int[]? dims = null) =>
        AssertValue(session.OutputMetadata, name, type, symbolic, dims);

    private static void AssertValue(IReadOnlyDictionary<string, NodeMetadata> metadata, string name, TensorElementType type, string[] symbolic, int[]? dims)
    {
        Assert.True(metadata.ContainsKey(name), $"no value '{name}' (has {string.Join(", ", metadata.Keys)})");
        Assert.Equal(type, metadata[name].ElementDataType);
        Assert.Equal(symbolic, metadata[name].SymbolicDimensions);
        if (dims is not null)
            Assert.Equal(dims, metadata[name].Dimensions);
    }
}
