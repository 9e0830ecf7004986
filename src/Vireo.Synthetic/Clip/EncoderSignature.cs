using Vireo.Onnx;

namespace Vireo.Synthetic.Clip;

/// <summary>
/// The input and output of one encoder file: names, element types, shapes (fixed or symbolic), and whether
/// the embedding is L2-normalised inside the model (immich exports normalise; Hugging Face's
/// *_embeds of the split models do not).
/// </summary>
public sealed record EncoderSignature(
    string InputName, OnnxDataType InputType, IReadOnlyList<Dim> InputShape,
    string OutputName, OnnxDataType OutputType, IReadOnlyList<Dim> OutputShape,
    bool NormalizeOutput)
{
    /// <summary>
    /// The name of a second output with the text tower's per-token states [batch, sequence, width] after the final
    /// layer norm (transformers.js text_model.onnx: last_hidden_state); null when the file has none (immich).
    /// </summary>
    public string? TokenStatesName { get; init; }

    /// <summary>
    /// transformers.js / Optimum <c>vision_model.onnx</c>: pixel_values [batch_size, num_channels, height, width]
    /// → image_embeds [batch_size, D]; float32 I/O, or float16 with <paramref name="float16Io"/>.
    /// </summary>
    public static EncoderSignature HuggingFaceVision(int embedDim, bool float16Io = false)
    {
        var type = float16Io ? OnnxDataType.Float16 : OnnxDataType.Float;
        return new("pixel_values", type, ["batch_size", "num_channels", "height", "width"],
            "image_embeds", type, ["batch_size", embedDim], NormalizeOutput: false);
    }

    /// <summary>
    /// transformers.js <c>text_model.onnx</c>: input_ids int64 [batch_size, sequence_length] → text_embeds [batch_size, D]
    /// and last_hidden_state [batch_size, sequence_length, width].
    /// </summary>
    public static EncoderSignature HuggingFaceText(int embedDim, bool float16Io = false) =>
        new("input_ids", OnnxDataType.Int64, ["batch_size", "sequence_length"],
            "text_embeds", float16Io ? OnnxDataType.Float16 : OnnxDataType.Float, ["batch_size", embedDim], NormalizeOutput: false)
        {
            TokenStatesName = "last_hidden_state",
        };

    /// <summary>immich <c>visual/model.onnx</c>: image float32 [1, 3, S, S] (fixed) → embedding [1, D], L2-normalised.</summary>
    public static EncoderSignature ImmichVisual(int imageSize, int embedDim) =>
        new("image", OnnxDataType.Float, [1, 3, imageSize, imageSize], "embedding", OnnxDataType.Float, [1, embedDim], NormalizeOutput: true);

    /// <summary>immich <c>textual/model.onnx</c>: text int32 [1, 77] (fixed) → embedding [1, D], L2-normalised.</summary>
    public static EncoderSignature ImmichTextual(int contextLength, int embedDim) =>
        new("text", OnnxDataType.Int32, [1, contextLength], "embedding", OnnxDataType.Float, [1, embedDim], NormalizeOutput: true);
}
