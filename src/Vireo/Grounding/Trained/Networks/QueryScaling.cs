namespace Vireo.Grounding.Trained.Networks;

/// <summary>How attention scales the queries by the head width d (the two differ in the last float bit).</summary>
public enum QueryScaling
{
    /// <summary>q / √d, as <c>torch.nn.functional.multi_head_attention_forward</c> does (torch ≥ 1.12).</summary>
    DivideBySqrtHeadDim,

    /// <summary>q · d^-0.5, as older copies of that function (e.g. Lighthouse's <c>attention.py</c>) do.</summary>
    MultiplyByInverseSqrtHeadDim,
}
