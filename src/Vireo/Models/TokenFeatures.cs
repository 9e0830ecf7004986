using Vireo.Vectors;

namespace Vireo.Models;

/// <summary>
/// A sentence as CLIP's text tower sees it, token by token: the output of the final layer norm for every token
/// from the start token to the end token (<c>last_hidden_state</c>, not projected, not normalised), and the
/// projected embedding of the end token (<c>text_embeds</c>, not normalised), which moment_detr's feature files
/// call <c>pooler_output</c>.
/// </summary>
/// <param name="TokenIds">The token ids, start and end tokens included (one per row of <paramref name="States"/>).</param>
/// <param name="States">[tokens, width]: the per-token states.</param>
/// <param name="Pooled">[dimension]: the projected end-token embedding.</param>
public sealed record TokenFeatures(int[] TokenIds, EmbeddingMatrix States, float[] Pooled)
{
    /// <summary>Tokens from the start token to the end token.</summary>
    public int Count => TokenIds.Length;
}

/// <summary>The model has no per-token text output: only Hugging Face / transformers.js text encoders expose one.</summary>
public sealed class TokenFeaturesUnavailableException(string folder, string textModel)
    : ModelException(folder,
        $"the text encoder ({textModel}) gives one pooled embedding per sentence, not per-token features ({OnnxTower.TokenStatesOutputName}); " +
        "token features need a Hugging Face / transformers.js export of the model, whose onnx/text_model.onnx has a last_hidden_state output")
{
    /// <summary>The text encoder file that lacks the output.</summary>
    public string TextModel { get; } = textModel;
}
