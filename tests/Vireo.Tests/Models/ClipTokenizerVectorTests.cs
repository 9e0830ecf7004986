using System.Text.Json;
using Vireo.Models.Tokenization;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

/// <summary>The 400 reference encodings of shared/testvectors/clip_tokenizer.jsonl, from each vocabulary layout.</summary>
public sealed class ClipTokenizerVectorTests
{
    [Fact]
    public void OpenAiMerges_reproduce_every_vector()
    {
        var tokenizer = ClipTestVocabulary.Tokenizer;
        AssertAllVectors(tokenizer);
    }

    [Fact]
    public async Task HuggingFace_vocab_and_merges_reproduce_every_vector()
    {
        using var folder = new TempFolder();
        var (vocab, merges) = await ClipTestVocabulary.WriteVocabAndMergesAsync(folder.Path);
        AssertAllVectors(ClipTokenizer.FromHuggingFace(vocab, merges));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TokenizerJson_reproduces_every_vector(bool mergesAsPairs)
    {
        using var folder = new TempFolder();
        var path = await ClipTestVocabulary.WriteTokenizerJsonAsync(folder.Path, mergesAsPairs);
        AssertAllVectors(ClipTokenizer.FromTokenizerJson(path));
    }

    [Fact]
    public void Batches_match_the_vectors_as_int32_and_int64()
    {
        var tokenizer = ClipTestVocabulary.Tokenizer;
        var vectors = ReadVectors();
        var batch = tokenizer.EncodeBatch(vectors.Select(v => v.Text).ToList());
        Assert.Equal([vectors.Count, 77], batch.Shape);
        var wide = batch.IdsAsInt64();
        var mask = batch.AttentionMaskAsInt64();
        for (var i = 0; i < vectors.Count; i++)
        {
            Assert.Equal(vectors[i].Context77, batch.Row(i).ToArray());
            Assert.Equal(vectors[i].Context77.Select(id => (long)id), wide.Skip(i * 77).Take(77));
            var length = Math.Min(vectors[i].BpeIds.Length + 2, 77);
            Assert.Equal(length, batch.Lengths[i]);
            Assert.Equal(49407, batch.Row(i)[batch.EndPosition(i)]);
            Assert.Equal(Enumerable.Repeat(1L, length).Concat(Enumerable.Repeat(0L, 77 - length)), mask.Skip(i * 77).Take(77));
        }
    }

    [Fact]
    public void One_tokenizer_shared_by_threads_gives_the_same_ids()
    {
        var tokenizer = ClipTokenizer.FromOpenAiMerges(ClipTestVocabulary.MergesPath);
        var vectors = ReadVectors();
        var failures = 0;
        Parallel.For(0, vectors.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var vector = vectors[i % vectors.Count];
            if (!tokenizer.EncodeBpe(vector.Text).SequenceEqual(vector.BpeIds))
                Interlocked.Increment(ref failures);
        });
        Assert.Equal(0, failures);
    }

    internal static IReadOnlyList<Vector> ReadVectors()
    {
        var path = SharedData.Require("testvectors/clip_tokenizer.jsonl");
        var vectors = new List<Vector>();
        foreach (var line in File.ReadLines(path))
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            vectors.Add(new Vector(
                root.GetProperty("text").GetString()!,
                root.GetProperty("bpe_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                root.GetProperty("context77").EnumerateArray().Select(e => e.GetInt32()).ToArray()));
        }
        Assert.Equal(400, vectors.Count);
        return vectors;
    }

    private static void AssertAllVectors(ClipTokenizer tokenizer)
    {
        Assert.Equal(49406, tokenizer.StartToken);
        Assert.Equal(49407, tokenizer.EndToken);
        Assert.Equal(49408, tokenizer.VocabularySize);
        var failures = new List<string>();
        var context = new int[77];
        foreach (var vector in ReadVectors())
        {
            var ids = tokenizer.EncodeBpe(vector.Text);
            tokenizer.EncodeContext<int>(vector.Text, context);
            if (!ids.SequenceEqual(vector.BpeIds) || !context.SequenceEqual(vector.Context77))
                failures.Add($"{JsonSerializer.Serialize(vector.Text)}: expected [{string.Join(",", vector.BpeIds)}], got [{string.Join(",", ids)}]");
        }
        Assert.True(failures.Count == 0, $"{failures.Count}/400 vectors differ:\n" + string.Join("\n", failures.Take(10)));
    }

    internal sealed record Vector(string Text, int[] BpeIds, int[] Context77);
}
