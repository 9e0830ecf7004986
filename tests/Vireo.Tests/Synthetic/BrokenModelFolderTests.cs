using Microsoft.ML.OnnxRuntime;
using Vireo.Synthetic.Layouts;
using Vireo.Tests.Onnx;
using Vireo.Tests.Support;

namespace Vireo.Tests.Synthetic;

public class BrokenModelFolderTests
{
    private static async Task<BrokenModelFolder> WriteAsync(BrokenModelKind kind) =>
        await BrokenModelFolders.WriteAsync(kind, TestVideos.NewPath(kind.ToString()), ClipTestVocabulary.TokenizerSource(), TestContext.Current.CancellationToken);

    [Theory]
    [InlineData(BrokenModelKind.TruncatedModel)]
    [InlineData(BrokenModelKind.GitLfsPointer)]
    public async Task Damaged_model_files_do_not_load(BrokenModelKind kind)
    {
        var broken = await WriteAsync(kind);

        Assert.ThrowsAny<OnnxRuntimeException>(() => OrtTestRunner.Load(broken.Culprit).Dispose());
        // The rest of the folder is intact.
        Assert.True(File.Exists(Path.Combine(broken.Root, "config.json")));
        Assert.True(File.Exists(Path.Combine(broken.Root, "tokenizer.json")));
    }

    [Fact]
    public async Task Wrong_input_name_loads_but_lacks_pixel_values()
    {
        var broken = await WriteAsync(BrokenModelKind.WrongInputName);

        using var session = OrtTestRunner.Load(broken.Culprit);
        Assert.Equal(["images"], session.InputNames);
    }

    [Fact]
    public async Task Mismatched_embedding_dims_pair_a_16_d_text_model_with_a_32_d_vision_model()
    {
        var broken = await WriteAsync(BrokenModelKind.MismatchedEmbeddingDims);

        using var text = OrtTestRunner.Load(broken.Culprit);
        using var vision = OrtTestRunner.Load(Path.Combine(broken.Root, "onnx", "vision_model.onnx"));
        Assert.Equal(16, text.OutputMetadata["text_embeds"].Dimensions[1]);
        Assert.Equal(32, vision.OutputMetadata["image_embeds"].Dimensions[1]);
    }

    [Fact]
    public async Task Folders_without_a_tokenizer_or_a_layout_miss_the_files_a_loader_looks_for()
    {
        var noTokenizer = await WriteAsync(BrokenModelKind.MissingTokenizer);
        var unrecognized = await WriteAsync(BrokenModelKind.UnrecognizedLayout);

        Assert.All(TokenizerSource.FileNames, name => Assert.False(File.Exists(Path.Combine(noTokenizer.Root, name))));
        Assert.True(File.Exists(Path.Combine(noTokenizer.Root, "onnx", "text_model.onnx")));
        Assert.Equal(["README.md", "encoder.onnx", "weights.bin"], Directory.GetFiles(unrecognized.Root).Select(Path.GetFileName).Order());
        using var session = OrtTestRunner.Load(Path.Combine(unrecognized.Root, "encoder.onnx")); // a valid model under an unknown name
    }
}
