using Vireo.Grounding;
using Vireo.Temporal;

namespace Vireo.Retrieval;

/// <summary>A library's answer to a sentence: videos ranked, each with its moments and saliency, and the best moments across videos.</summary>
public sealed record SearchResult(string Query, IReadOnlyList<VideoHit> Videos, IReadOnlyList<CorpusMoment> Moments, SearchTimings Timings)
{
    /// <summary>The shards of a split library that did not answer: the answer is partial, made from the others (empty for one library).</summary>
    public IReadOnlyList<string> MissingShards { get; init; } = [];
}

/// <summary>One ranked video.</summary>
/// <param name="VideoId">The catalog's id.</param>
/// <param name="Path">The video file.</param>
/// <param name="Duration">Its duration in seconds.</param>
/// <param name="Score">
/// The ranking score: the visual video score (<see cref="VideoScore"/>) when no timed text matched in this result; else the
/// fused score (<see cref="ChannelFusion"/>), also when only text was searched.
/// </param>
/// <param name="Match">The parts of the score.</param>
/// <param name="Moments">Where the sentence happens, best first (seconds).</param>
/// <param name="Saliency">Per-clip similarity to the sentence (the saliency curve), one value per clip.</param>
/// <param name="ClipLength">Clip length in seconds.</param>
public sealed record VideoHit(long VideoId, string Path, double Duration, double Score, VideoMatch Match, IReadOnlyList<GroundedMoment> Moments, float[] Saliency, double ClipLength)
{
    /// <summary>Where the file is damaged (<see cref="Library.LibraryVideo.Damaged"/>); empty for a sound file.</summary>
    public IReadOnlyList<TemporalWindow> Damaged { get; init; } = [];

    /// <summary>The channels that matched: visual when a moment stood out in the pictures, and each text channel with a matched entry.</summary>
    public IReadOnlyList<SearchChannel> MatchedChannels { get; init; } = [];

    /// <summary>The timed text that matched, best first (at most a few entries).</summary>
    public IReadOnlyList<MatchedText> MatchedText { get; init; } = [];

    /// <summary>The shard holding the video (a library's directory, or a cluster's shard name): ids are unique only within it.</summary>
    public string? Shard { get; init; }
}

/// <summary>A moment ranked against moments of other videos (video corpus moment retrieval).</summary>
/// <param name="VideoId">The catalog's id.</param>
/// <param name="Path">The video file.</param>
/// <param name="Start">Start in seconds.</param>
/// <param name="End">End in seconds.</param>
/// <param name="Score">
/// The corpus score, comparable across videos: the mean similarity inside the moment when no timed text matched in this
/// result, else the fused score of the video's visual score and the moment's text match (<see cref="ChannelFusion"/>).
/// </param>
/// <param name="GroundingScore">The moment's score within its video.</param>
public sealed record CorpusMoment(long VideoId, string Path, double Start, double End, double Score, double GroundingScore)
{
    /// <summary>The channels that found this moment.</summary>
    public IReadOnlyList<SearchChannel> MatchedChannels { get; init; } = [];

    /// <summary>The timed text inside the moment that matched.</summary>
    public IReadOnlyList<MatchedText> MatchedText { get; init; } = [];

    /// <summary>The shard holding the video (see <see cref="VideoHit.Shard"/>).</summary>
    public string? Shard { get; init; }
}

/// <summary>Where the time of a search went, in milliseconds.</summary>
public sealed record SearchTimings(double EncodeText, double Coarse, double Fine, double Grounding, double Total);
