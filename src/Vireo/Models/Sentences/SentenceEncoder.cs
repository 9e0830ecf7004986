using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Vireo.Models.Sentences;

/// <summary>
/// Sentence embeddings as sentence-transformers computes them for all-MiniLM-L6-v2: BERT uncased WordPiece (lower case,
/// accents stripped, punctuation and CJK characters split), at most <see cref="SentenceModel.MaxTokens"/> word pieces,
/// the mean of the last hidden states over the real tokens, scaled to unit length. Texts are batched by length so
/// little padding is computed; the result does not depend on the batching.
/// </summary>
public sealed class SentenceEncoder : IDisposable
{
    private const int BatchSize = 32;

    private readonly InferenceSession _session;
    private readonly BertUncasedTokenizer _tokenizer;

    public SentenceEncoder(SentenceModel model, int intraOpThreads = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _session = OnnxSessions.Open(model.Onnx, model.Carrier, intraOpThreads);
        _tokenizer = new BertUncasedTokenizer(model.Vocabulary);
    }

    public SentenceModel Model { get; }

    /// <summary>The unit-length embedding of one text.</summary>
    public float[] Encode(string text) => Encode([text], CancellationToken.None);

    /// <summary>The embeddings of <paramref name="texts"/>, row after row (<c>texts.Count × 384</c> floats, each row of unit length).</summary>
    public float[] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var tokens = new int[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
            tokens[i] = Tokenize(texts[i]);
        var order = new int[texts.Count];
        for (var i = 0; i < order.Length; i++)
            order[i] = i;
        Array.Sort(order, (a, b) => tokens[a].Length != tokens[b].Length ? tokens[a].Length.CompareTo(tokens[b].Length) : a.CompareTo(b));

        var embeddings = new float[texts.Count * SentenceModel.Dimension];
        for (var first = 0; first < order.Length; first += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RunBatch(tokens, order.AsSpan(first, Math.Min(BatchSize, order.Length - first)), embeddings);
        }
        return embeddings;
    }

    /// <summary>The word-piece ids of a text with [CLS] and [SEP], cut as sentence-transformers cuts (the first 254 pieces kept).</summary>
    public int[] Tokenize(string text)
    {
        var pieces = _tokenizer.Encode(text ?? "");
        var kept = Math.Min(pieces.Count, SentenceModel.MaxTokens - 2);
        var ids = new int[kept + 2];
        ids[0] = _tokenizer.Classifier;
        pieces.CopyTo(0, ids, 1, kept);
        ids[^1] = _tokenizer.Separator;
        return ids;
    }

    private void RunBatch(int[][] tokens, ReadOnlySpan<int> rows, float[] embeddings)
    {
        var length = 0;
        foreach (var row in rows)
            length = Math.Max(length, tokens[row].Length);
        var ids = new DenseTensor<long>([rows.Length, length]);
        var mask = new DenseTensor<long>([rows.Length, length]);
        var types = new DenseTensor<long>([rows.Length, length]);
        for (var b = 0; b < rows.Length; b++)
        {
            var row = tokens[rows[b]];
            for (var t = 0; t < row.Length; t++)
            {
                ids[b, t] = row[t];
                mask[b, t] = 1;
            }
        }
        using var results = _session.Run(
            [NamedOnnxValue.CreateFromTensor("input_ids", ids), NamedOnnxValue.CreateFromTensor("attention_mask", mask), NamedOnnxValue.CreateFromTensor("token_type_ids", types)],
            ["last_hidden_state"]);
        var hidden = results[0].AsTensor<float>() as DenseTensor<float> ?? throw new InvalidOperationException("last_hidden_state is not a dense tensor");
        var states = hidden.Buffer.Span;
        const int width = SentenceModel.Dimension;
        for (var b = 0; b < rows.Length; b++)
        {
            var count = tokens[rows[b]].Length;
            var target = embeddings.AsSpan(rows[b] * width, width);
            for (var t = 0; t < count; t++)
                TensorPrimitives.Add(target, states.Slice(((b * length) + t) * width, width), target);
            var norm = TensorPrimitives.Norm(target);
            // sentence-transformers divides by max(norm, 1e-12) after averaging; the count cancels out in the unit vector.
            TensorPrimitives.Divide(target, MathF.Max(norm, 1e-12f), target);
        }
    }

    public void Dispose() => _session.Dispose();
}
