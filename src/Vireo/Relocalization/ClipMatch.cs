namespace Vireo.Relocalization;

/// <summary>One place where the query clip occurs.</summary>
/// <param name="VideoId">The catalog's id of the video.</param>
/// <param name="Path">The video file.</param>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
/// <param name="Score">
/// The calibrated score: (m − b) / (1 − b), m the mean similarity per query clip along the alignment, b the
/// candidate's background similarity; 1 for identical content, about 0 for unrelated content. Compared with
/// <see cref="RelocalizationOptions.MinScore"/>.
/// </param>
/// <param name="MeanSimilarity">m: the mean cosine similarity per query clip along the alignment.</param>
/// <param name="Background">b: the query clips' median similarity with this video's clips.</param>
/// <param name="Speed">How fast the query's content plays here: the query's duration over the match's (1: same speed).</param>
/// <param name="Refined">True when the boundaries come from the fine alignment on frames re-read from the file; false: at the library's clip boundaries.</param>
public sealed record ClipMatch(long VideoId, string Path, double Start, double End, double Score, double MeanSimilarity, double Background, double Speed, bool Refined)
{
    public Vireo.Temporal.TemporalWindow Window => new(Start, End);

    /// <summary>The shard holding the video (a library's directory, or a cluster's shard name); null before a coordinator names it.</summary>
    public string? Shard { get; init; }
}

/// <summary>A library's answer to a query clip: the matches above the threshold, best first.</summary>
/// <param name="QueryPath">The query video.</param>
/// <param name="QuerySpan">The part of it looked for, in seconds.</param>
/// <param name="Matches">The matches, best first, at most <see cref="RelocalizationOptions.TopK"/>.</param>
/// <param name="Candidates">Candidate videos whose clips were aligned with the query.</param>
/// <param name="Timings">Where the time went.</param>
public sealed record RelocalizationResult(string QueryPath, Vireo.Temporal.TemporalWindow QuerySpan, IReadOnlyList<ClipMatch> Matches, int Candidates, RelocalizationTimings Timings)
{
    /// <summary>The shards of a split library that did not answer: the answer is partial, made from the others (empty for one library).</summary>
    public IReadOnlyList<string> MissingShards { get; init; } = [];
}

/// <summary>Where the time of a re-localization went, in milliseconds.</summary>
/// <param name="EmbedQuery">Decoding and encoding the query clip.</param>
/// <param name="Coarse">Choosing candidate videos from the coarse vectors.</param>
/// <param name="Align">Aligning the query with the candidates' stored clips.</param>
/// <param name="Refine">Re-reading and aligning the matches' stretches at the fine step.</param>
/// <param name="Total">All of it.</param>
public sealed record RelocalizationTimings(double EmbedQuery, double Coarse, double Align, double Refine, double Total);
