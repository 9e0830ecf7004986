namespace Vireo.Grounding.Trained;

/// <summary>
/// One forward pass of a trained grounder over one window of clips: per moment query its background/foreground
/// logits and its (center, width) span in 0..1 of the window, and a saliency score per clip.
/// </summary>
public sealed record DetrOutputs(float[] Logits, float[] Spans, float[] Saliency)
{
    public int Queries => Spans.Length / 2;

    public int Clips => Saliency.Length;

    /// <summary>The foreground probability of query <paramref name="q"/>: softmax over its two logits, class 0 (float32, as the official code).</summary>
    public float Foreground(int q)
    {
        var a = Logits[2 * q];
        var b = Logits[2 * q + 1];
        var max = MathF.Max(a, b);
        var ea = MathF.Exp(a - max);
        var eb = MathF.Exp(b - max);
        return ea / (ea + eb);
    }
}
