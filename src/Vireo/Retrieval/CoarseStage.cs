using System.Numerics.Tensors;
using Vireo.Grounding;
using Vireo.Library;
using Vireo.Vectors;

namespace Vireo.Retrieval;

/// <summary>A video the coarse stage passes on, with the similarities it already knows.</summary>
internal readonly record struct CoarseCandidate(long VideoId, double Score, double MeanPooled, double BestEvent);

/// <summary>
/// The first search stage: the query against every video's mean-pooled vector and event prototypes, which
/// narrows a library to a few candidate videos before their clips are read. Rows of one video are contiguous.
/// </summary>
internal sealed class CoarseStage
{
    private readonly CoarseVectorTable _table;
    private readonly Dictionary<long, (int First, int Count)> _rows = [];
    private readonly long[] _videos;

    private CoarseStage(CoarseVectorTable table, long generation)
    {
        _table = table;
        Generation = generation;
        var videos = new List<long>();
        for (var row = 0; row < table.Count;)
        {
            var id = table.VideoIds[row];
            var first = row;
            while (row < table.Count && table.VideoIds[row] == id)
                row++;
            _rows[id] = (first, row - first);
            videos.Add(id);
        }
        _videos = [.. videos];
    }

    /// <summary>The library generation the vectors were read at.</summary>
    public long Generation { get; }

    public int VideoCount => _videos.Length;

    public static CoarseStage Load(VideoLibrary library)
    {
        var generation = library.Generation;
        return new CoarseStage(library.ReadCoarseVectors(), generation);
    }

    /// <summary>The <paramref name="count"/> videos whose coarse score is highest, best first.</summary>
    public List<CoarseCandidate> Candidates(ReadOnlySpan<float> query, int count, VideoScoreWeights weights)
    {
        var candidates = new List<CoarseCandidate>(_videos.Length);
        var vectors = _table.Vectors;
        foreach (var video in _videos)
        {
            var (first, rows) = _rows[video];
            var pooled = double.NaN;
            var bestEvent = double.NegativeInfinity;
            for (var row = first; row < first + rows; row++)
            {
                var similarity = TensorPrimitives.Dot(query, vectors[row]);
                if (_table.Kinds[row] == VectorKind.Video)
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
        candidates.Sort((a, b) => b.Score.CompareTo(a.Score));
        if (candidates.Count > count)
            candidates.RemoveRange(count, candidates.Count - count);
        return candidates;
    }

    /// <summary>The mean-pooled vector, event spans and event prototypes of a video.</summary>
    public (float[] MeanPooled, ClipSpan[] Events, EmbeddingMatrix Prototypes) Vectors(long videoId)
    {
        var (first, rows) = _rows[videoId];
        var dimension = _table.Vectors.Dimension;
        var pooled = Array.Empty<float>();
        var spans = new List<ClipSpan>();
        var prototypes = new List<int>();
        for (var row = first; row < first + rows; row++)
        {
            if (_table.Kinds[row] == VectorKind.Video)
            {
                pooled = _table.Vectors.Row(row);
            }
            else
            {
                spans.Add(_table.Spans[row]);
                prototypes.Add(row);
            }
        }
        var matrix = new EmbeddingMatrix(prototypes.Count, dimension);
        for (var i = 0; i < prototypes.Count; i++)
            _table.Vectors[prototypes[i]].CopyTo(matrix[i]);
        return (pooled, [.. spans], matrix);
    }
}
