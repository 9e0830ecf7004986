using Vireo.Grounding;
using Vireo.Grounding.Trained;

namespace Vireo.Retrieval;

/// <summary>How a library search ranks videos and moments.</summary>
public sealed record SearchOptions
{
    /// <summary>Videos returned.</summary>
    public int TopVideos { get; init; } = 10;

    /// <summary>Moments returned for each video.</summary>
    public int MomentsPerVideo { get; init; } = 3;

    /// <summary>Moments returned across the library (corpus moment retrieval).</summary>
    public int TopMoments { get; init; } = 10;

    /// <summary>
    /// Videos the coarse stage (video and event vectors) passes to the fine stage (clips, grounding); at least
    /// <see cref="TopVideos"/>. More candidates cost a little time and recover videos whose match is in one short clip.
    /// </summary>
    public int Candidates { get; init; } = 50;

    /// <summary>How the video score mixes the mean-pooled, best-clip and best-event similarities.</summary>
    public VideoScoreWeights Weights { get; init; } = VideoScoreWeights.Default;

    /// <summary>The zero-shot grounding run on each returned video.</summary>
    public GroundingOptions Grounding { get; init; } = GroundingOptions.Default;

    /// <summary>
    /// The "no match" rule: a video has moments only when its best clip is at least this much (cosine) more similar to
    /// the sentence than the video's typical clip (the median); otherwise nothing in it stands out, and grounding would
    /// only find structure in noise (its statistics are relative to the video). Such a video keeps its rank, score and
    /// saliency curve, with no moments. Real CLIP models put a matching clip several hundredths above the rest.
    /// </summary>
    public float MinPeakContrast { get; init; } = 0.01f;

    /// <summary>
    /// A trained grounder (Moment-DETR, QD-DETR, CG-DETR) for the moment stage instead of the zero-shot grounder: it
    /// grounds the best videos on their stored clip embeddings and the sentence's token features, and the videos are
    /// reranked by their best moment (video corpus moment retrieval). The caller owns (and disposes) it.
    /// </summary>
    public TrainedGrounder? Grounder { get; init; }

    /// <summary>
    /// A trained grounder named instead of given (its manifest name, as 'vireo models list' shows it): each shard opens it
    /// from its own model store, as a cluster's silos do; a shard that has none of that name fails, named in the answer.
    /// With <see cref="Grounder"/>, the name must be its name.
    /// </summary>
    public string? GrounderName { get; init; }

    /// <summary>The trained grounder's name the moment stage uses, null for the zero-shot grounder.</summary>
    internal string? TrainedGrounderName => Grounder?.Manifest.Name ?? GrounderName;

    /// <summary>
    /// What is searched: the pictures (<see cref="SearchChannel.Visual"/>) and the words of the timed-text channels stored
    /// with the videos. Default: all of them; a channel the library has no text for adds nothing.
    /// </summary>
    public IReadOnlySet<SearchChannel> Channels { get; init; } = SearchChannels.All;

    /// <summary>How the visual ranking and the text matches are fused (<see cref="ChannelFusion"/>).</summary>
    public ChannelFusion Fusion { get; init; } = ChannelFusion.Default;

    /// <summary>Timed-text entries each half of the text stage takes: best BM25 first from the FTS5 index, nearest first from the sentence vectors.</summary>
    public int TextMatches { get; init; } = 500;

    /// <summary>Whether the text stage matches meaning (sentence embeddings) as well as words; false: words only.</summary>
    public bool SemanticText { get; init; } = true;

    /// <summary>How long each shard of a split library may take for one phase of a search before the answer is made without it (null: no limit, as for a library on this machine).</summary>
    public TimeSpan? ShardDeadline { get; init; }

    /// <summary>Longest query accepted, in characters (CLIP reads at most 77 tokens; longer text is truncated there).</summary>
    public int MaxQueryLength { get; init; } = 1000;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TopVideos);
        ArgumentOutOfRangeException.ThrowIfNegative(MomentsPerVideo);
        ArgumentOutOfRangeException.ThrowIfNegative(TopMoments);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Candidates);
        ArgumentNullException.ThrowIfNull(Weights);
        ArgumentNullException.ThrowIfNull(Grounding);
        ArgumentNullException.ThrowIfNull(Channels);
        ArgumentNullException.ThrowIfNull(Fusion);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TextMatches);
        if (Channels.Count == 0)
            throw new ArgumentException("search at least one channel", nameof(Channels));
        if (Grounder is not null && GrounderName is not null && Grounder.Manifest.Name != GrounderName)
            throw new ArgumentException($"the grounder given is '{Grounder.Manifest.Name}', the one named '{GrounderName}'", nameof(GrounderName));
    }
}
