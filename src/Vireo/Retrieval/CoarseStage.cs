using System.Numerics.Tensors;
using Vireo.Grounding;
using Vireo.Index;
using Vireo.Library;
using Vireo.Vectors;

namespace Vireo.Retrieval;

/// <summary>A video the coarse stage passes on, with the similarities it already knows.</summary>
internal readonly record struct CoarseCandidate(long VideoId, double Score, double MeanPooled, double BestEvent);

/// <summary>A video's coarse vectors: its mean-pooled vector, its events and their prototypes.</summary>
internal sealed record VideoVectors(float[] MeanPooled, ClipSpan[] Events, EmbeddingMatrix Prototypes);

/// <summary>
/// The first search stage: the query against every video's mean-pooled vector and event prototypes narrows a
/// library to a few candidate videos before their clips are read. A small library's coarse vectors are all held
/// and scanned exactly; a large one's are searched through its <see cref="CoarseIndex"/>, plus an exact scan of
/// the videos stored since the index was last updated (so nothing committed is missed).
/// </summary>
internal sealed class CoarseStage
{
    /// <summary>Index hits read per candidate video asked for (a video contributes several event vectors).</summary>
    private const int HitsPerCandidate = 8;

    private readonly VideoLibrary _library;
    private readonly CoarseVectorTable _exact;
    private readonly AdaptiveIndex? _index;
    private readonly long _indexGeneration;
    private readonly Dictionary<long, long> _generations;

    private CoarseStage(VideoLibrary library, long generation, CoarseVectorTable exact, AdaptiveIndex? index, long indexGeneration, Dictionary<long, long> generations)
    {
        _library = library;
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
            return new CoarseStage(library, generation, library.ReadCoarseVectors(), null, -1, []);
        var index = previous?._index is not null && previous._indexGeneration == built
            ? previous._index
            : await AdaptiveIndex.LoadAsync(CoarseIndex.PathOf(library), expectedDimension: library.Settings!.Model.Dimension, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new CoarseStage(library, generation, library.ReadCoarseVectors(sinceGeneration: built), index, built, library.IndexedGenerations());
    }

    /// <summary>The <paramref name="count"/> videos whose coarse score is highest, best first, and their coarse vectors.</summary>
    public (List<CoarseCandidate> Candidates, Func<long, VideoVectors> Vectors) Candidates(float[] query, int count, VideoScoreWeights weights)
    {
        var exact = Score(_exact, query, weights);
        if (_index is null)
            return (Top(exact, count), id => VectorsOf(_exact, id));

        // Index hits for videos not changed since the index was built, then their full coarse vectors.
        var hits = _index.Search(query, count * HitsPerCandidate, new VectorSearchOptions
        {
            MaxThreads = 1,
            Filter = id => _generations.TryGetValue(CoarseIndex.VideoOf(id), out var stored) && stored <= _indexGeneration,
        });
        var videos = new List<long>();
        foreach (var hit in hits)
        {
            var video = CoarseIndex.VideoOf(hit.Id);
            if (!videos.Contains(video))
                videos.Add(video);
        }
        var table = videos.Count > 0 ? _library.ReadCoarseVectors(videoIds: videos) : _exact;
        var candidates = videos.Count > 0 ? Score(table, query, weights) : [];
        candidates.AddRange(exact);
        return (Top(candidates, count), id => VectorsOf(FirstRow(_exact, id) >= 0 ? _exact : table, id));
    }

    private static List<CoarseCandidate> Top(List<CoarseCandidate> candidates, int count)
    {
        candidates.Sort((a, b) => b.Score.CompareTo(a.Score));
        if (candidates.Count > count)
            candidates.RemoveRange(count, candidates.Count - count);
        return candidates;
    }

    /// <summary>Scores every video of a table (rows of a video are contiguous).</summary>
    private static List<CoarseCandidate> Score(CoarseVectorTable table, ReadOnlySpan<float> query, VideoScoreWeights weights)
    {
        var candidates = new List<CoarseCandidate>();
        for (var row = 0; row < table.Count;)
        {
            var video = table.VideoIds[row];
            var pooled = double.NaN;
            var bestEvent = double.NegativeInfinity;
            for (; row < table.Count && table.VideoIds[row] == video; row++)
            {
                var similarity = TensorPrimitives.Dot(query, table.Vectors[row]);
                if (table.Kinds[row] == VectorKind.Video)
                    pooled = similarity;
                else if (similarity > bestEvent)
                    bestEvent = similarity;
            }
            if (double.IsNaN(pooled))
                continue;
            double? eventSimilarity = double.IsNegativeInfinity(bestEvent) ? null : bestEvent;
            // Before the clips are read, the best event stands in for the best clip.
            var score = VideoScore.Combine(pooled, eventSimilarity ?? pooled, eventSimilarity, weights);
            candidates.Add(new CoarseCandidate(video, score, pooled, eventSimilarity ?? double.NaN));
        }
        return candidates;
    }

    /// <summary>The first row of <paramref name="videoId"/> (rows are sorted by video), or -1.</summary>
    private static int FirstRow(CoarseVectorTable table, long videoId)
    {
        var row = Array.BinarySearch(table.VideoIds, videoId);
        if (row < 0)
            return -1;
        while (row > 0 && table.VideoIds[row - 1] == videoId)
            row--;
        return row;
    }

    private static VideoVectors VectorsOf(CoarseVectorTable table, long videoId)
    {
        var dimension = table.Vectors.Dimension;
        var pooled = Array.Empty<float>();
        var spans = new List<ClipSpan>();
        var rows = new List<int>();
        for (var row = Math.Max(0, FirstRow(table, videoId)); row < table.Count && table.VideoIds[row] == videoId; row++)
        {
            if (table.Kinds[row] == VectorKind.Video)
            {
                pooled = table.Vectors.Row(row);
            }
            else
            {
                spans.Add(table.Spans[row]);
                rows.Add(row);
            }
        }
        var prototypes = new EmbeddingMatrix(rows.Count, dimension);
        for (var i = 0; i < rows.Count; i++)
            table.Vectors[rows[i]].CopyTo(prototypes[i]);
        return new VideoVectors(pooled, [.. spans], prototypes);
    }
}
