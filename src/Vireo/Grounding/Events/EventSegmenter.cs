using System.Numerics.Tensors;
using Vireo.Vectors;
using Vireo.Temporal;

namespace Vireo.Grounding.Events;

/// <summary>
/// Cuts a video into events from its clip embeddings alone, as PSVL does: each clip is described by its row of the
/// clips' self-similarity matrix, the rows are clustered with k-means, runs of consecutive clips with the same cluster
/// become events, and events shorter than <see cref="EventSegmentationOptions.MinEventClips"/> are merged into the
/// neighbour whose mean embedding is closer. Query-independent: compute it once per video (at index time) and reuse it.
/// <para>
/// Scale: the self-similarity matrix is built per chunk of at most <see cref="EventSegmentationOptions.ChunkClips"/>
/// clips (never n × n), chunk cuts are placed at the largest change between adjacent clips near the nominal position,
/// so time is O(n · ChunkClips · (dimension + k · iterations)) and memory O(ChunkClips²) beyond the result.
/// </para>
/// </summary>
public static class EventSegmenter
{
    public static EventSegmentation Segment(EmbeddingMatrix clips, EventSegmentationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clips);
        options ??= EventSegmentationOptions.Default;
        options.Validate();
        if (clips.Count == 0)
            throw new ArgumentException("the video has no clips to segment", nameof(clips));
        var chunkSize = options.ChunkClips;
        var similarity = new float[Math.Min(chunkSize, clips.Count) * Math.Min(chunkSize, clips.Count)];
        var events = new List<ClipSpan>();
        foreach (var chunk in Chunks(clips, chunkSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var labels = ClusterChunk(clips, chunk, options, similarity);
            var local = Runs(labels, chunk.Start);
            MergeShortEvents(local, clips, options.MinEventClips);
            events.AddRange(local);
        }
        return new EventSegmentation(events, clips);
    }

    /// <summary>Chunks of 3/4·size to size clips (the last at least size/4), cut where adjacent clips differ most.</summary>
    internal static List<ClipSpan> Chunks(EmbeddingMatrix clips, int size)
    {
        var chunks = new List<ClipSpan>();
        var n = clips.Count;
        var start = 0;
        while (n - start > size)
        {
            var lo = start + size * 3 / 4;
            var hi = Math.Min(start + size, n - size / 4);
            var cut = lo;
            var lowest = float.PositiveInfinity;
            for (var b = lo; b <= hi; b++)
            {
                var similarity = TensorPrimitives.Dot(clips[b - 1], clips[b]);
                if (similarity < lowest)
                {
                    lowest = similarity;
                    cut = b;
                }
            }
            chunks.Add(new ClipSpan(start, cut));
            start = cut;
        }
        chunks.Add(new ClipSpan(start, n));
        return chunks;
    }

    private static int[] ClusterChunk(EmbeddingMatrix clips, ClipSpan chunk, EventSegmentationOptions options, float[] buffer)
    {
        var n = chunk.Length;
        var k = Math.Min(n, options.Clusters ?? Math.Max(1, (int)Math.Round((double)n / options.ClipsPerCluster)));
        if (k == 1)
            return new int[n];
        var rows = buffer.AsSpan(0, n * n);
        for (var i = 0; i < n; i++)
        {
            var a = clips[chunk.Start + i];
            for (var j = i; j < n; j++)
                rows[i * n + j] = rows[j * n + i] = TensorPrimitives.Dot(a, clips[chunk.Start + j]);
        }
        var seeds = EuclideanKMeans.PlusPlusSeeds(rows, n, n, k);
        return EuclideanKMeans.Cluster(rows, n, n, seeds, options.MaxIterations);
    }

    private static List<ClipSpan> Runs(int[] labels, int offset)
    {
        var runs = new List<ClipSpan>();
        var start = 0;
        for (var i = 1; i <= labels.Length; i++)
        {
            if (i == labels.Length || labels[i] != labels[start])
            {
                runs.Add(new ClipSpan(offset + start, offset + i));
                start = i;
            }
        }
        return runs;
    }

    /// <summary>Merges events shorter than <paramref name="minClips"/> into the neighbour with the closer mean embedding (left on ties).</summary>
    internal static void MergeShortEvents(List<ClipSpan> events, EmbeddingMatrix clips, int minClips)
    {
        var sums = new List<float[]>(events.Count);
        foreach (var e in events)
        {
            var sum = new float[clips.Dimension];
            for (var i = e.Start; i < e.End; i++)
                TensorPrimitives.Add(sum, clips[i], sum);
            sums.Add(sum);
        }
        var index = 0;
        while (index < events.Count && events.Count > 1)
        {
            if (events[index].Length >= minClips)
            {
                index++;
                continue;
            }
            var intoLeft = index == events.Count - 1 || (index > 0 &&
                TensorPrimitives.CosineSimilarity(sums[index], sums[index - 1]) >= TensorPrimitives.CosineSimilarity(sums[index], sums[index + 1]));
            var target = intoLeft ? index - 1 : index + 1;
            var (a, b) = (events[Math.Min(index, target)], events[Math.Max(index, target)]);
            events[target] = new ClipSpan(a.Start, b.End);
            TensorPrimitives.Add(sums[target], sums[index], sums[target]);
            events.RemoveAt(index);
            sums.RemoveAt(index);
            // Either the next event (after a merge to the left, which was long enough already) or the grown right
            // neighbour now sits at index: look at it next.
        }
    }
}
