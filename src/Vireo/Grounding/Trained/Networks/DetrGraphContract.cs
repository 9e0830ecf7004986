namespace Vireo.Grounding.Trained.Networks;

/// <summary>
/// The inputs and outputs every rebuilt network's ONNX graph has. One query and one video per run (batch 1: the
/// official evaluation's canonical batch, see the fixtures' README), so there is no padding and no mask input.
/// </summary>
public static class DetrGraphContract
{
    /// <summary>float32 [1, clips, video dim]: clip features already L2-normalised with the tef columns appended.</summary>
    public const string Video = "src_vid";

    /// <summary>float32 [1, tokens, text dim]: token features already L2-normalised.</summary>
    public const string Text = "src_txt";

    /// <summary>float32 [1, queries, 2]: background / foreground logits per moment query.</summary>
    public const string Logits = "pred_logits";

    /// <summary>float32 [1, queries, 2]: (center, width) in 0..1 of the window, after the sigmoid.</summary>
    public const string Spans = "pred_spans";

    /// <summary>float32 [1, clips]: saliency per clip.</summary>
    public const string Saliency = "saliency_scores";
}
