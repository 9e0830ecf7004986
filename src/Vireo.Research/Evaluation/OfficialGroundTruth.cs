using Vireo.Research.Datasets;

namespace Vireo.Research.Evaluation;

/// <summary>A ground-truth window as an official evaluation scores it: after clipping, possibly zero-length or inverted.</summary>
public readonly record struct TruthSpan(double Start, double End);

/// <summary>
/// The ground-truth preparation of the official code of each protocol, on a query loaded by Vireo (seconds, as the
/// annotation file gives them, TACoS frames already divided by fps):
/// <list type="bullet">
/// <item>2D-TAN, Charades-STA (<c>lib/datasets/charades.py</c>): end = min(end, duration), the start as given; the query
/// is dropped unless start &lt; end after clipping.</item>
/// <item>2D-TAN, TACoS and ActivityNet Captions: the query is dropped unless start &lt; end as annotated; then
/// [max(start, 0), min(end, duration)].</item>
/// <item>VSLNet, all three (<c>util/data_gen.py</c>): [max(0, start), min(end, duration)], no query dropped.</item>
/// </list>
/// </summary>
public static class OfficialGroundTruth
{
    /// <summary>The query's single ground-truth window as <paramref name="protocol"/> scores it, or null when the protocol drops the query.</summary>
    public static TruthSpan? Prepare(EvaluationProtocol protocol, string dataset, GroundingQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        RecordErrors.RequireGroundTruth(query);
        if (query.Windows.Count != 1)
        {
            throw RecordErrors.About(query, $"qid {query.QueryId} has {query.Windows.Count} ground-truth windows; " +
                $"the {EvaluationProtocols.Name(protocol)} protocol scores benchmarks with exactly one");
        }
        var (start, end) = (query.Windows[0].Start, query.Windows[0].End);
        var duration = query.Duration;
        switch (protocol, DatasetCatalog.Canonical(dataset))
        {
            case (EvaluationProtocol.TwoDTan, DatasetNames.CharadesSta):
                var clippedEnd = Math.Min(end, duration);
                return start < clippedEnd ? new TruthSpan(start, clippedEnd) : null;
            case (EvaluationProtocol.TwoDTan, DatasetNames.Tacos or DatasetNames.ActivityNetCaptions):
                return start < end ? new TruthSpan(Math.Max(start, 0), Math.Min(end, duration)) : null;
            case (EvaluationProtocol.VslNet, DatasetNames.CharadesSta or DatasetNames.Tacos or DatasetNames.ActivityNetCaptions):
                return new TruthSpan(Math.Max(0.0, start), Math.Min(end, duration));
            default:
                throw new ArgumentException($"the {EvaluationProtocol.TwoDTan} and {EvaluationProtocol.VslNet} preparations are defined for " +
                    $"Charades-STA, TACoS and ActivityNet Captions, not for {dataset} under {protocol}", nameof(protocol));
        }
    }
}
