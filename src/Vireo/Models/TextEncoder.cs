using Vireo.Errors;
using Vireo.Models.Tokenization;
using Vireo.Vectors;

namespace Vireo.Models;

/// <summary>Sentences to unit-length embeddings: the CLIP tokenizer, then the text tower.</summary>
public sealed class TextEncoder
{
    private readonly OnnxTower _tower;
    private readonly int _batchSize;

    private readonly string _folder;

    internal TextEncoder(OnnxTower tower, ClipTokenizer tokenizer, int batchSize, string folder)
    {
        _tower = tower;
        _folder = folder;
        Tokenizer = tower.FixedSequenceLength is { } fixedLength && fixedLength != tokenizer.ContextLength
            ? tokenizer.With(contextLength: fixedLength)
            : tokenizer;
        _batchSize = tower.FixedBatch ?? Math.Max(1, batchSize);
    }

    public ClipTokenizer Tokenizer { get; }

    /// <summary>Whether <see cref="EncodeTokens"/> works: the text model has a per-token output.</summary>
    public bool HasTokenFeatures => _tower.TokenStatesName is not null;

    /// <summary>
    /// The per-token features of one sentence: start token to end token (the sentence's BPE tokens cut to fit the
    /// context, as CLIP's tokenizer does), raw values.
    /// </summary>
    /// <exception cref="TokenFeaturesUnavailableException">The text model has no per-token output (an immich export).</exception>
    public TokenFeatures EncodeTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!HasTokenFeatures)
            throw new TokenFeaturesUnavailableException(_folder, _tower.Path);
        // Alone in its batch, a sentence needs no padding unless the model fixes the context; the states past the
        // end token are dropped either way (the causal mask keeps them from changing the ones before).
        var batch = Tokenizer.EncodeBatch([text], padToLongest: _tower.FixedSequenceLength is null);
        var (embeddings, states, width) = _tower.RunTextWithTokenStates(batch.IdsAsInt64(), batch.AttentionMaskAsInt64(), 1, batch.SequenceLength);
        var count = batch.Lengths[0];
        var kept = new float[count * width];
        states.AsSpan(0, kept.Length).CopyTo(kept);
        return new TokenFeatures(batch.Row(0)[..count].ToArray(), new EmbeddingMatrix(kept, count, width), embeddings);
    }

    /// <summary>The embedding of one sentence (L2-normalised; all zeros when the model maps it to nothing).</summary>
    public float[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Encode([text]).Row(0);
    }

    /// <summary>The embedding of a query to search with: like <see cref="Encode(string)"/>, but a sentence the model maps to nothing is refused.</summary>
    /// <exception cref="UsageException">The model maps the sentence to a zero vector (no word it knows).</exception>
    public float[] EncodeQuery(string text)
    {
        var embedding = Encode(text);
        if (System.Numerics.Tensors.TensorPrimitives.SumOfSquares<float>(embedding) == 0)
            throw new UsageException($"the model finds nothing it knows in \"{text}\": say it in other words");
        return embedding;
    }

    /// <summary>The embeddings of several sentences, one row each (L2-normalised).</summary>
    public EmbeddingMatrix Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        EmbeddingMatrix? result = null;
        for (var start = 0; start < texts.Count; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(_batchSize, texts.Count - start);
            var slice = new string[count];
            for (var i = 0; i < count; i++)
                slice[i] = texts[start + i];
            // A fixed context (immich: 77) must be filled; a dynamic one only needs the longest sentence.
            var batch = Tokenizer.EncodeBatch(slice, padToLongest: _tower.FixedSequenceLength is null);
            var output = _tower.RunText(batch.IdsAsInt64(), batch.AttentionMaskAsInt64(), count, batch.SequenceLength);
            var dimension = output.Length / count;
            result ??= new EmbeddingMatrix(texts.Count, dimension);
            output.CopyTo(result.Data.AsSpan(start * dimension));
        }
        result ??= new EmbeddingMatrix(0, _tower.EmbeddingDimension ?? 1);
        VectorMath.NormalizeRows(result.AsSpan(), result.Dimension);
        return result;
    }
}
