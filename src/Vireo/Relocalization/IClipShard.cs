using Vireo.Shards;
using Vireo.Temporal;
using Vireo.Vectors;

namespace Vireo.Relocalization;

/// <summary>
/// One shard of a library as find-clip sees it: the three phases of a re-localization behind calls that can cross a
/// process boundary (the query's vectors in, plain records out), so a coordinator (<see cref="Relocalizer"/>) treats a
/// library on this machine and one on a silo of a cluster alike. Stateless: each phase carries what it needs.
/// </summary>
public interface IClipShard : IShard
{
    /// <summary>
    /// Phase 1: for each probe vector, the shard's <paramref name="count"/> best videos by coarse similarity, best first
    /// (with any tied with the last), and the tie keys of those videos.
    /// </summary>
    Task<ClipCandidates> CandidatesAsync(float[][] probes, int count, CancellationToken cancellationToken);

    /// <summary>
    /// Phase 2: the query's clips (<paramref name="query"/>, in the library's clip length) aligned with the stored clips of
    /// the chosen videos: every alignment that may reach the threshold, unrefined, with its video's background similarity.
    /// </summary>
    Task<IReadOnlyList<ClipMatch>> AlignAsync(ClipVectors query, TemporalWindow querySpan, IReadOnlyList<long> videoIds, RelocalizationOptions options,
        CancellationToken cancellationToken);

    /// <summary>
    /// Phase 3: each coarse match re-aligned on frames re-read from its file at the query's fine step (<paramref name="query"/>);
    /// null where that is not possible (the file changed or cannot be read) and the coarse match stands.
    /// </summary>
    Task<IReadOnlyList<ClipMatch?>> RefineAsync(ClipVectors query, TemporalWindow querySpan, IReadOnlyList<ClipMatch> matches, RelocalizationOptions options,
        CancellationToken cancellationToken);
}

/// <summary>A video of a shard and its coarse similarity with a probe.</summary>
public sealed record ClipCandidate(long VideoId, double Score);

/// <summary>Phase 1's answer: per probe, the best videos (best first); and the tie key of each video named.</summary>
public sealed record ClipCandidates(ClipCandidate[][] PerProbe, IReadOnlyDictionary<long, VideoTieKey> Ties);

/// <summary>A <see cref="ClipSequence"/> as plain data (what crosses the wire): the embeddings row by row, and the grid.</summary>
public sealed record ClipVectors(float[] Data, int Count, int Dimension, double Duration, double ClipLength, double Start)
{
    public static ClipVectors Of(ClipSequence sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var clips = sequence.Clips;
        return new(clips.AsSpan().ToArray(), clips.Count, clips.Dimension, sequence.Grid.Duration, sequence.Grid.ClipLength, sequence.Start);
    }

    public ClipSequence ToSequence() => new(new EmbeddingMatrix(Data, Count, Dimension), new ClipGrid(Duration, ClipLength), Start);
}
