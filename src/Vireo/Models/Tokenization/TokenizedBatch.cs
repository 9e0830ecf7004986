using System.Numerics;

namespace Vireo.Models.Tokenization;

/// <summary>
/// Token ids and attention masks of a batch of texts, row-major [<see cref="Count"/>, <see cref="SequenceLength"/>],
/// ready to copy into int32 (OpenAI/immich exports) or int64 (Hugging Face exports) input tensors.
/// </summary>
public sealed class TokenizedBatch
{
    internal TokenizedBatch(int count, int sequenceLength)
    {
        Count = count;
        SequenceLength = sequenceLength;
        Ids = new int[count * sequenceLength];
        AttentionMask = new int[count * sequenceLength];
        Lengths = new int[count];
    }

    /// <summary>Number of texts (rows).</summary>
    public int Count { get; }

    /// <summary>Tokens per row.</summary>
    public int SequenceLength { get; }

    /// <summary>The ids, row-major.</summary>
    public int[] Ids { get; }

    /// <summary>1 for start, BPE and end tokens, 0 for padding, row-major.</summary>
    public int[] AttentionMask { get; }

    /// <summary>Per row, the tokens before the padding (start and end included).</summary>
    public int[] Lengths { get; }

    /// <summary>The tensor shape: [Count, SequenceLength].</summary>
    public int[] Shape => [Count, SequenceLength];

    /// <summary>Where the end token of row <paramref name="row"/> is (CLIP pools the text embedding there).</summary>
    public int EndPosition(int row) => Lengths[row] - 1;

    /// <summary>The ids of one row.</summary>
    public ReadOnlySpan<int> Row(int row) => Ids.AsSpan(row * SequenceLength, SequenceLength);

    /// <summary>The ids as int64, as Hugging Face text models take them.</summary>
    public long[] IdsAsInt64() => Widen(Ids);

    /// <summary>The attention mask as int64.</summary>
    public long[] AttentionMaskAsInt64() => Widen(AttentionMask);

    /// <summary>Copies the ids into a tensor buffer of int32 or int64.</summary>
    public void CopyIdsTo<T>(Span<T> destination) where T : IBinaryInteger<T> => Copy(Ids, destination);

    /// <summary>Copies the attention mask into a tensor buffer of int32 or int64.</summary>
    public void CopyAttentionMaskTo<T>(Span<T> destination) where T : IBinaryInteger<T> => Copy(AttentionMask, destination);

    private static long[] Widen(int[] values)
    {
        var wide = new long[values.Length];
        Copy<long>(values, wide);
        return wide;
    }

    private static void Copy<T>(int[] values, Span<T> destination) where T : IBinaryInteger<T>
    {
        if (destination.Length < values.Length)
            throw new ArgumentException($"the destination holds {destination.Length} values; the batch has {values.Length}", nameof(destination));
        for (var i = 0; i < values.Length; i++)
            destination[i] = T.CreateTruncating(values[i]);
    }
}
