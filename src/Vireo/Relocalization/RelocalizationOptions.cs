namespace Vireo.Relocalization;

/// <summary>How <see cref="Relocalizer"/> finds a query clip in a library.</summary>
public sealed record RelocalizationOptions
{
    /// <summary>
    /// The reporting threshold on <see cref="ClipMatch.Score"/>: the match's mean similarity along the alignment, as
    /// a fraction of the way from the candidate's background similarity to identity (see docs/architecture.md,
    /// "Re-localization"). Matches below it are not returned.
    /// </summary>
    public double MinScore { get; init; } = 0.85;

    /// <summary>Matches returned across the library, best first.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Matches kept per video (a segment can occur several times in one video).</summary>
    public int MatchesPerVideo { get; init; } = 5;

    /// <summary>Videos the coarse stage (video and event vectors) passes on to alignment over their stored clips.</summary>
    public int Candidates { get; init; } = 50;

    /// <summary>Slowest playback of the query's content accepted in a match (0.5 to 1): 0.75 finds it slowed to 3/4 speed.</summary>
    public double MinSpeed { get; init; } = 0.5;

    /// <summary>Fastest playback of the query's content accepted in a match (1 to 2).</summary>
    public double MaxSpeed { get; init; } = 2.0;

    /// <summary>Subtracted from the alignment score for each step off the diagonal, so that equal evidence prefers constant speed.</summary>
    public double SpeedChangePenalty { get; init; } = 0.01;

    /// <summary>
    /// Seconds between the frames of the fine alignment (one frame per unit): the query is embedded at this step,
    /// and so is each match's stretch of the candidate file (± <see cref="RefineMargin"/>), to place boundaries more
    /// precisely than the library's clips. 0 turns refinement off (matches stay at clip boundaries).
    /// </summary>
    public double RefineStep { get; init; } = 0.5;

    /// <summary>Seconds of the candidate read on each side of a coarse match for refinement.</summary>
    public double RefineMargin { get; init; } = 4.0;

    /// <summary>
    /// Coarse matches scoring at least <see cref="MinScore"/> minus this are refined (a match straddling clip
    /// boundaries scores lower on the stored clips than on the fine frames).
    /// </summary>
    public double CoarseMargin { get; init; } = 0.25;

    /// <summary>
    /// Coarse matches refined per query, best coarse scores first (each reads a stretch of its video). Clips of 2 s
    /// blur content that changes faster, so coarse scores only rank candidates: with refinement on, only refined matches
    /// are reported (and coarse ones whose file can no longer be read). At least 1; to turn refinement off, set
    /// <see cref="RefineStep"/> to 0.
    /// </summary>
    public int MaxRefinements { get; init; } = 10;

    /// <summary>
    /// When the query video is itself in the library, drop its matches in that video with IoU ≥ 0.5 with the query's
    /// own span (the query finding itself); other occurrences in the same video are reported.
    /// </summary>
    public bool ExcludeQuerySpan { get; init; } = true;

    /// <summary>The longest query clip accepted, in seconds (unlimited by default; the server caps it).</summary>
    public double MaxQuerySeconds { get; init; } = double.PositiveInfinity;

    /// <summary>
    /// How long each shard of a split library may take per phase before the answer is made without it (named in
    /// <see cref="RelocalizationResult.MissingShards"/>); null waits for every shard.
    /// </summary>
    public TimeSpan? ShardDeadline { get; init; }

    internal void Validate()
    {
        if (!double.IsFinite(MinScore))
            throw new ArgumentOutOfRangeException(nameof(MinScore), MinScore, "the threshold must be a finite number");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TopK);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MatchesPerVideo);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Candidates);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRefinements);
        if (!(MinSpeed >= 0.5 && MinSpeed <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinSpeed), MinSpeed, "the slowest speed must be in [0.5, 1] (the aligner's steps allow 0.5 to 2)");
        if (!(MaxSpeed >= 1 && MaxSpeed <= 2))
            throw new ArgumentOutOfRangeException(nameof(MaxSpeed), MaxSpeed, "the fastest speed must be in [1, 2] (the aligner's steps allow 0.5 to 2)");
        if (!(SpeedChangePenalty >= 0) || !double.IsFinite(SpeedChangePenalty))
            throw new ArgumentOutOfRangeException(nameof(SpeedChangePenalty), SpeedChangePenalty, "the penalty must be a finite number ≥ 0");
        if (!(RefineStep >= 0) || !double.IsFinite(RefineStep))
            throw new ArgumentOutOfRangeException(nameof(RefineStep), RefineStep, "the refinement step must be ≥ 0 seconds (0: no refinement)");
        if (!(RefineMargin >= 0) || !double.IsFinite(RefineMargin))
            throw new ArgumentOutOfRangeException(nameof(RefineMargin), RefineMargin, "the refinement margin must be ≥ 0 seconds");
        if (!(CoarseMargin >= 0) || !double.IsFinite(CoarseMargin))
            throw new ArgumentOutOfRangeException(nameof(CoarseMargin), CoarseMargin, "the coarse margin must be ≥ 0");
    }
}
