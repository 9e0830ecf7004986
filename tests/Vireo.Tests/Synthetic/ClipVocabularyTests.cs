using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vireo.Models.Tokenization;
using Vireo.Tests.Support;

namespace Vireo.Tests.Synthetic;

public class ClipVocabularyTests
{
    [Fact]
    public void Vocabulary_has_clips_49408_distinct_tokens_in_clips_order()
    {
        var vocabulary = ClipTestVocabulary.Vocabulary;

        Assert.Equal(49408, vocabulary.Count);
        Assert.Equal(49408, vocabulary.Ids.Count);
        Assert.Equal(ClipVocabulary.OpenAiMergeCount, vocabulary.Merges.Count);
        Assert.Equal("!", vocabulary.Tokens[0]);
        Assert.Equal("Ā", vocabulary.Tokens[188]);        // byte 0, the first non-printable byte, maps to U+0100
        Assert.Equal("!</w>", vocabulary.Tokens[256]);
        Assert.Equal("in", vocabulary.Tokens[512]);       // the first merge
        Assert.Equal(49406, vocabulary.StartOfTextId);
        Assert.Equal(49407, vocabulary.EndOfTextId);
    }

    [Fact]
    public void Word_ids_agree_with_the_official_tokenizer_test_vectors()
    {
        var vocabulary = ClipTestVocabulary.Vocabulary;
        var checkedWords = 0;
        foreach (var line in File.ReadLines(SharedData.Require("testvectors/clip_tokenizer.jsonl")))
        {
            var vector = JsonNode.Parse(line)!;
            var words = ((string)vector["text"]!).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ids = vector["bpe_ids"]!.AsArray().Select(i => (int)i!).ToArray();
            // Sentences of plain lower-case words that each came out as one token.
            if (words.Length == 0 || words.Length != ids.Length || !words.All(w => w.All(char.IsAsciiLetterLower)))
                continue;
            for (var i = 0; i < words.Length; i++)
            {
                Assert.Equal(ids[i], vocabulary.WordId(words[i]));
                checkedWords++;
            }
        }
        Assert.True(checkedWords >= 20, $"only {checkedWords} words checked");
        Assert.Null(vocabulary.WordId("checkered")); // two tokens in CLIP
    }

    [Fact]
    public async Task A_malformed_merges_file_is_reported_with_its_line()
    {
        var path = TestVideos.NewPath("merges.txt.gz");
        await using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            await gzip.WriteAsync("#version: 0.2\ni n\nthree parts here\n"u8.ToArray(), TestContext.Current.CancellationToken);

        var error = Assert.Throws<TokenizerFormatException>(() => ClipVocabulary.FromOpenAiMerges(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => ClipVocabulary.FromOpenAiMerges(path + ".missing"));
    }

    [Fact]
    public async Task Tokenizer_files_hold_the_same_vocabulary_and_merges()
    {
        var folder = (await TestModels.TinyHuggingFaceAsync()).Root;
        var vocabulary = ClipTestVocabulary.Vocabulary;

        using var tokenizer = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "tokenizer.json"), TestContext.Current.CancellationToken));
        using var vocab = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "vocab.json"), TestContext.Current.CancellationToken));
        var model = tokenizer.RootElement.GetProperty("model");
        Assert.Equal("BPE", model.GetProperty("type").GetString());
        Assert.Equal("</w>", model.GetProperty("end_of_word_suffix").GetString());
        var tokenizerVocab = model.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var plainVocab = vocab.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(49408, tokenizerVocab.Count);
        Assert.Equal(tokenizerVocab, plainVocab);
        Assert.Equal(736, plainVocab["red</w>"]);
        var merges = model.GetProperty("merges").EnumerateArray().Select(m => m.GetString()).ToList();
        var mergesTxt = await File.ReadAllLinesAsync(Path.Combine(folder, "merges.txt"), TestContext.Current.CancellationToken);
        Assert.Equal("#version: 0.2", mergesTxt[0]);
        Assert.Equal(merges, mergesTxt.Skip(1));
        Assert.Equal(vocabulary.Merges.Select(m => m.Left + " " + m.Right), merges);
        var added = tokenizer.RootElement.GetProperty("added_tokens").EnumerateArray().Select(t => (t.GetProperty("content").GetString(), t.GetProperty("id").GetInt32()));
        Assert.Equal([("<|startoftext|>", 49406), ("<|endoftext|>", 49407)], added);
        Assert.Equal(49407, tokenizer.RootElement.GetProperty("post_processor").GetProperty("sep")[1].GetInt32());
    }
}
