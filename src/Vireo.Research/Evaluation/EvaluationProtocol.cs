using Vireo.Errors;
using Vireo.Research.Datasets;

namespace Vireo.Research.Evaluation;

/// <summary>
/// The code whose numbers an evaluation reproduces: its ground-truth preparation, IoU formula, NMS, unit conversion and
/// rounding, so that decisions at exact thresholds are the same bit for bit. The command line names them
/// <c>2d-tan</c>, <c>vslnet</c>, <c>moment-detr</c>, <c>didemo</c> and <c>clip4clip</c> (<see cref="EvaluationProtocols"/>).
/// </summary>
public enum EvaluationProtocol
{
    /// <summary>
    /// 2D-TAN (<c>lib/core/eval.py</c> with its dataset classes): R@n,IoU=m with IoU &gt; m after its NMS; the
    /// ground truth clipped to the video (Charades-STA: the end only, then queries with start ≥ end are dropped;
    /// TACoS, ActivityNet Captions: queries with start ≥ end are dropped, then both ends are clipped).
    /// </summary>
    TwoDTan,

    /// <summary>
    /// VSLNet (<c>util/runner_utils_t7.py</c> with <c>util/data_gen.py</c>): R@1,IoU=m with IoU ≥ m of the top window,
    /// no NMS; the ground truth clipped to [0, duration], no query dropped.
    /// </summary>
    VslNet,

    /// <summary>moment_detr's <c>standalone_eval/eval.py</c> (QVHighlights): MR-mAP, MR-R1, HL-mAP, HL-Hit1.</summary>
    MomentDetr,

    /// <summary>LocalizingMoments' <c>utils/eval.py</c> (DiDeMo): consensus R@1, R@5 and mIoU on 5-second segments.</summary>
    DiDeMo,

    /// <summary>CLIP4Clip's <c>metrics.py</c> (MSR-VTT and multi-caption retrieval): R@1/5/10, MdR, MnR.</summary>
    Clip4Clip,
}

/// <summary>The protocols' command-line names, which protocols each benchmark supports, and each benchmark's default.</summary>
public static class EvaluationProtocols
{
    /// <summary>The command-line name of <paramref name="protocol"/> (scripts rely on these names).</summary>
    public static string Name(EvaluationProtocol protocol) => protocol switch
    {
        EvaluationProtocol.TwoDTan => "2d-tan",
        EvaluationProtocol.VslNet => "vslnet",
        EvaluationProtocol.MomentDetr => "moment-detr",
        EvaluationProtocol.DiDeMo => "didemo",
        EvaluationProtocol.Clip4Clip => "clip4clip",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol)),
    };

    /// <summary>Every command-line name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<EvaluationProtocol>().Select(Name)];

    /// <summary>
    /// The protocol of the tables people compare against: 2D-TAN for Charades-STA, TACoS and ActivityNet Captions (its
    /// R@{1,5},IoU={0.3,0.5,0.7} table layout is the one most grounding papers copy), moment_detr for QVHighlights,
    /// LocalizingMoments for DiDeMo, CLIP4Clip for MSR-VTT.
    /// </summary>
    public static EvaluationProtocol DefaultFor(string dataset) => DatasetCatalog.Canonical(dataset) switch
    {
        DatasetNames.QvHighlights => EvaluationProtocol.MomentDetr,
        DatasetNames.DiDeMo => EvaluationProtocol.DiDeMo,
        DatasetNames.MsrVtt => EvaluationProtocol.Clip4Clip,
        _ => EvaluationProtocol.TwoDTan,
    };

    /// <summary>The protocols that can score <paramref name="dataset"/>.</summary>
    public static IReadOnlyList<EvaluationProtocol> For(string dataset) => DatasetCatalog.Canonical(dataset) switch
    {
        DatasetNames.CharadesSta or DatasetNames.Tacos or DatasetNames.ActivityNetCaptions => [EvaluationProtocol.TwoDTan, EvaluationProtocol.VslNet],
        var other => [DefaultFor(other)],
    };

    /// <summary>
    /// The protocol named <paramref name="name"/> for <paramref name="dataset"/>, or the dataset's default when the name
    /// is null; an unknown name, or one that does not score the dataset, is a usage error saying which would.
    /// </summary>
    public static EvaluationProtocol Resolve(string? name, string dataset)
    {
        if (name is null)
            return DefaultFor(dataset);
        var protocol = Enum.GetValues<EvaluationProtocol>().Where(p => string.Equals(Name(p), name.Trim(), StringComparison.OrdinalIgnoreCase))
            .Cast<EvaluationProtocol?>().FirstOrDefault() ?? throw new UsageException($"unknown protocol '{name}' (known: {string.Join(", ", Names)})");
        var supported = For(dataset);
        if (!supported.Contains(protocol))
        {
            throw new UsageException($"protocol {Name(protocol)} does not score {DatasetCatalog.Canonical(dataset)}; " +
                $"use {string.Join(" or ", supported.Select(Name))}");
        }
        return protocol;
    }
}
