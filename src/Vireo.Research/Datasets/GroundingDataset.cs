namespace Vireo.Research.Datasets;

/// <summary>The queries of one split of a grounding benchmark, with the faulty records found while loading.</summary>
/// <param name="Name">The benchmark (<see cref="DatasetNames"/>).</param>
/// <param name="Path">The annotation file.</param>
/// <param name="Queries">The queries, in file order.</param>
/// <param name="Faults">Faulty records and what the policy did with them.</param>
public sealed record GroundingDataset(string Name, string Path, IReadOnlyList<GroundingQuery> Queries, IReadOnlyList<DatasetFault> Faults)
{
    /// <summary>Number of distinct videos.</summary>
    public int VideoCount => Queries.Select(q => q.VideoId).Distinct(StringComparer.Ordinal).Count();

    /// <summary>The queries by id (ids are unique in every supported file).</summary>
    public IReadOnlyDictionary<string, GroundingQuery> ById() => Queries.ToDictionary(q => q.QueryId, StringComparer.Ordinal);
}

/// <summary>The benchmark names Vireo uses on its command line and in its files.</summary>
public static class DatasetNames
{
    public const string CharadesSta = "charades-sta";
    public const string Tacos = "tacos";
    public const string ActivityNetCaptions = "activitynet-captions";
    public const string DiDeMo = "didemo";
    public const string QvHighlights = "qvhighlights";
    public const string MsrVtt = "msrvtt";

    /// <summary>The grounding benchmarks.</summary>
    public static IReadOnlyList<string> Grounding { get; } = [CharadesSta, Tacos, ActivityNetCaptions, DiDeMo, QvHighlights];

    /// <summary>The canonical name for a name or a common alias (anet, qvh, charades, msr-vtt), or null.</summary>
    public static string? Normalize(string name) => name.Trim().ToLowerInvariant() switch
    {
        "charades-sta" or "charades_sta" or "charades" or "charadessta" => CharadesSta,
        "tacos" => Tacos,
        "activitynet-captions" or "activitynet_captions" or "activitynet" or "anet" => ActivityNetCaptions,
        "didemo" => DiDeMo,
        "qvhighlights" or "qvh" or "qv-highlights" => QvHighlights,
        "msrvtt" or "msr-vtt" => MsrVtt,
        _ => null,
    };
}
