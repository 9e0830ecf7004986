using System.Numerics.Tensors;
using Vireo.TimedText;

namespace Vireo.Library;

/// <summary>
/// The sentence embeddings of the timed text of a library's indexed videos, held in memory for the semantic stage of
/// search: one float16 row per entry (as stored), with its entry id, video and channel. A search compares the query
/// with every row (exact, blocked: a block of rows is widened to float32 and dotted with the query).
/// </summary>
public sealed class SentenceVectorTable
{
    private const int BlockRows = 256;

    private readonly long[] _entries;
    private readonly long[] _videos;
    private readonly TextChannel[] _channels;
    private readonly Half[] _vectors;

    internal SentenceVectorTable(long generation, int dimension, long[] entries, long[] videos, TextChannel[] channels, Half[] vectors)
    {
        (Generation, Dimension, _entries, _videos, _channels, _vectors) = (generation, dimension, entries, videos, channels, vectors);
    }

    /// <summary>The library generation it was read at.</summary>
    public long Generation { get; }

    public int Dimension { get; }

    /// <summary>Entries with a vector.</summary>
    public int Count => _entries.Length;

    /// <summary>Bytes the vectors take in memory.</summary>
    public long Bytes => (long)_vectors.Length * 2;

    /// <summary>
    /// The entries of <paramref name="channels"/> whose cosine with <paramref name="query"/> (unit length) is at least
    /// <paramref name="floor"/>, best first, at most <paramref name="limit"/>.
    /// </summary>
    public List<SentenceHit> Nearest(ReadOnlySpan<float> query, IReadOnlyCollection<TextChannel> channels, float floor, int limit)
    {
        if (query.Length != Dimension)
            throw new ArgumentException($"the query has {query.Length} dimensions, the sentence vectors {Dimension}", nameof(query));
        var wanted = new bool[Enum.GetValues<TextChannel>().Length];
        foreach (var channel in channels)
            wanted[(int)channel] = true;
        var hits = new List<SentenceHit>();
        var block = new float[BlockRows * Dimension];
        for (var first = 0; first < _entries.Length; first += BlockRows)
        {
            var rows = Math.Min(BlockRows, _entries.Length - first);
            TensorPrimitives.ConvertToSingle(_vectors.AsSpan(first * Dimension, rows * Dimension), block);
            for (var r = 0; r < rows; r++)
            {
                if (!wanted[(int)_channels[first + r]])
                    continue;
                var cosine = TensorPrimitives.Dot<float>(block.AsSpan(r * Dimension, Dimension), query);
                if (cosine >= floor)
                    hits.Add(new SentenceHit(_entries[first + r], _videos[first + r], cosine));
            }
        }
        hits.Sort((a, b) => b.Cosine != a.Cosine ? b.Cosine.CompareTo(a.Cosine) : a.EntryId.CompareTo(b.EntryId));
        if (hits.Count > limit)
            hits.RemoveRange(limit, hits.Count - limit);
        return hits;
    }
}

/// <summary>A timed-text entry near the query in the sentence space.</summary>
public readonly record struct SentenceHit(long EntryId, long VideoId, float Cosine);
