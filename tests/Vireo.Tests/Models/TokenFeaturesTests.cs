using System.Numerics.Tensors;
using Vireo.Models;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

/// <summary>Per-token text features (<see cref="TextEncoder.EncodeTokens"/>): what moment_detr / Lighthouse keep of a sentence.</summary>
public class TokenFeaturesTests
{
    private static async Task<EmbeddingModel> LoadAsync(Task<Vireo.Synthetic.Layouts.SyntheticModelFolder> folder, ModelVariant variant = ModelVariant.Default) =>
        EmbeddingModel.Load((await folder).Root, new EncoderOptions { IntraOpThreads = 1, Variant = variant });

    [Theory]
    [InlineData("a man is talking to the camera")]
    [InlineData("dog")]
    [InlineData("")]
    public async Task The_tokens_run_from_the_start_token_to_the_end_token(string sentence)
    {
        using var model = await LoadAsync(TestModels.TinyHuggingFaceAsync());
        var features = model.Text.EncodeTokens(sentence);
        var bpe = model.Text.Tokenizer.EncodeBpe(sentence);

        Assert.Equal(bpe.Count + 2, features.Count);
        Assert.Equal([model.Text.Tokenizer.StartToken, .. bpe, model.Text.Tokenizer.EndToken], features.TokenIds);
        Assert.Equal(features.Count, features.States.Count);
        Assert.Equal(32, features.States.Dimension); // the tiny model's text width
        Assert.Equal(model.Dimension, features.Pooled.Length);
    }

    [Fact]
    public async Task The_pooled_output_is_the_raw_sentence_embedding()
    {
        using var model = await LoadAsync(TestModels.TinyHuggingFaceAsync());
        var features = model.Text.EncodeTokens("a red car drives away");
        var unit = model.Text.Encode("a red car drives away");

        var norm = MathF.Sqrt(TensorPrimitives.SumOfSquares<float>(features.Pooled));
        Assert.NotEqual(1f, norm, 3); // not normalised
        for (var i = 0; i < unit.Length; i++)
            Assert.Equal(unit[i], features.Pooled[i] / norm, 4);
    }

    [Fact]
    public async Task A_token_state_does_not_depend_on_the_tokens_after_it()
    {
        // CLIP's text tower is causal: the states of "a red" are the first ones of "a red car", which is why keeping
        // start..end tokens of an unpadded sentence equals cutting the official 77-token output at the padding.
        using var model = await LoadAsync(TestModels.TinyHuggingFaceAsync());
        var shorter = model.Text.EncodeTokens("a red");
        var longer = model.Text.EncodeTokens("a red car");
        for (var token = 0; token < shorter.Count - 1; token++)
        {
            for (var i = 0; i < shorter.States.Dimension; i++)
                Assert.Equal(shorter.States[token][i], longer.States[token][i], 4);
        }
        Assert.NotEqual(shorter.States.Row(shorter.Count - 1), longer.States.Row(shorter.Count - 1)); // end token vs "car"
    }

    [Fact]
    public async Task A_long_sentence_is_cut_to_the_context_with_the_end_token_last()
    {
        using var model = await LoadAsync(TestModels.TinyHuggingFaceAsync());
        var sentence = string.Join(' ', Enumerable.Repeat("the quick brown fox jumps over the lazy dog", 12));
        var features = model.Text.EncodeTokens(sentence);

        Assert.Equal(model.Text.Tokenizer.ContextLength, features.Count);
        Assert.Equal(model.Text.Tokenizer.EndToken, features.TokenIds[^1]);
    }

    [Fact]
    public async Task An_immich_model_has_no_token_features_and_says_what_is_needed()
    {
        var folder = await TestModels.TinyImmichAsync();
        using var model = EmbeddingModel.Load(folder.Root, new EncoderOptions { IntraOpThreads = 1 });

        Assert.False(model.Text.HasTokenFeatures);
        var error = Assert.Throws<TokenFeaturesUnavailableException>(() => model.Text.EncodeTokens("a dog"));
        Assert.Equal(folder.Root, error.ModelPath);
        Assert.StartsWith(folder.Root, error.Message, StringComparison.Ordinal);
        Assert.Contains("textual", error.TextModel, StringComparison.Ordinal);
        Assert.Contains("last_hidden_state", error.Message, StringComparison.Ordinal);
        Assert.Contains("onnx/text_model.onnx", error.Message, StringComparison.Ordinal);
    }
}
