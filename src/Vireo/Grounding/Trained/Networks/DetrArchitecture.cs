namespace Vireo.Grounding.Trained.Networks;

/// <summary>The trained grounding networks of the Moment-DETR family that Vireo rebuilds (Lighthouse's <c>model_name</c>).</summary>
public enum DetrArchitecture
{
    /// <summary>Moment-DETR (Lei et al., 2021): <c>moment_detr</c>.</summary>
    MomentDetr,

    /// <summary>QD-DETR (Moon et al., 2023): <c>qd_detr</c>.</summary>
    QdDetr,

    /// <summary>CG-DETR (Moon et al., 2024): <c>cg_detr</c>.</summary>
    CgDetr,
}
