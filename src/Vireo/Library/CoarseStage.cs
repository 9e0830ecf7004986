using System.Numerics.Tensors;
using Vireo.Index;

namespace Vireo.Library;

/// <summary>A video the coarse stage passes on, with its coarse score.</summary>
internal readonly record struct CoarseCandidate(long VideoId, double Score);

/// <summary>
/// The first search stage: the query against every video's mean-pooled vector and event prototypes narrows a
/// library to a few candidate videos before their clips are read. A small library's coarse vectors are all held
/// and scanned exactly; a large one's are searched through its <see cref="CoarseIndex"/>, plus an exact scan of
/// the videos stored since the index was last updated (so nothing committed is missed). A video's coarse score is
/// its best coarse similarity (its mean vector or one of its events).
/// </summary>
internal sealed class CoarseStage
{
    /// <summary>Index hits read per candidate video asked for (a video contributes several event vectors).</summary>
    private const int HitsPerCandidate = 8;

    private readonly CoarseVectorTable _exact;
    private readonly AdaptiveIndex? _index;
    private readonly long _indexGeneration;
    private readonly Dictionary<long, long> _generations;

    private CoarseStage(long generation, CoarseVectorTable exact, AdaptiveIndex? index, long indexGeneration, Dictionary<long, long> generations)
    {
        Generation = generation;
        _exact = exact;
        _index = index;
        _indexGeneration = indexGeneration;
        _generations = generations;
    }

    /// <summary>The library generation the stage was read at.</summary>
    public long Generation { get; }

    /// <summary>
    /// Reads a library's coarse vectors: all of them without an index; with one, the index (reused from
    /// <paramref name="previous"/> when its file has not changed) and the videos stored since it was updated.
    /// </summary>
    public static async Task<CoarseStage> LoadAsync(VideoLibrary library, CoarseStage? previous, CancellationToken cancellationToken)
    {
        var generation = library.Generation;
        if (CoarseIndex.BuiltGeneration(library) is not { } built)
            return new CoarseStage(generation, library.ReadCoarseVectors(), null, -1, []);
        var index = previous?._index is not null && previous._indexGeneration == built
            ? previous._index
            : await AdaptiveIndex.LoadAsync(CoarseIndex.PathOf(library), expectedDimension: library.Settings!.Model.Dimension, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new CoarseStage(generation, library.ReadCoarseVectors(sinceGeneration: built), index, built, library.IndexedGenerations());
    }

    /// <summary>
    /// The <paramref name="count"/> videos whose coarse score is highest, best first, and any others tied with the last
    /// of them: which of tied videos a search takes is the coordinator's choice (by <see cref="Shards.VideoTieKey"/>), so
    /// that it does not depend on this library's ids.
    /// </summary>
    public List<CoarseCandidate> Candidates(ReadOnlySpan<float> query, int count)
    {
        var best = new Dictionary<long, double>();
        for (var row = 0; row < _exact.Count; row++)
            Keep(best, _exact.VideoIds[row], TensorPrimitives.Dot(query, _exact.Vectors[row]));
        if (_index is not null)
        {
            var hits = _index.Search(query, count * HitsPerCandidate, new VectorSearchOptions
            {
                MaxThreads = 1,
                // Videos re-indexed or removed since the index was built are answered from the exact rows, or not at all.
                Filter = id => _generations.TryGetValue(CoarseIndex.VideoOf(id), out var stored) && stored <= _indexGeneration,
            });
            foreach (var hit in hits)
                Keep(best, CoarseIndex.VideoOf(hit.Id), hit.Score);
        }
        var candidates = best.Select(kv => new CoarseCandidate(kv.Key, kv.Value)).ToList();
        candidates.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : a.VideoId.CompareTo(b.VideoId));
        var kept = Math.Max(count, 1);
        while (kept < candidates.Count && candidates[kept].Score == candidates[kept - 1].Score)
            kept++;
        if (candidates.Count > kept)
            candidates.RemoveRange(kept, candidates.Count - kept);
        return candidates;
    }

    private static void Keep(Dictionary<long, double> best, long video, double score)
    {
        if (!best.TryGetValue(video, out var current) || score > current)
            best[video] = score;
    }
}
