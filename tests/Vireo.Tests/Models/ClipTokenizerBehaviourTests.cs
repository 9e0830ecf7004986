using System.IO.Compression;
using System.Text;
using Vireo.Models.Tokenization;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

/// <summary>Context building, padding, batches, model folders and the errors for damaged tokenizer files.</summary>
public sealed class ClipTokenizerBehaviourTests
{
    [Fact]
    public void Long_text_is_truncated_with_the_end_token_kept_last()
    {
        var tokenizer = ClipTestVocabulary.Tokenizer.With(contextLength: 8, padToken: 49407);
        var ids = new long[8];
        var mask = new long[8];
        var count = tokenizer.EncodeContext<long>(string.Join(' ', Enumerable.Repeat("word", 20)), ids, mask);
        Assert.Equal(8, count);
        Assert.Equal([49406L, 2653, 2653, 2653, 2653, 2653, 2653, 49407], ids);
        Assert.All(mask, m => Assert.Equal(1L, m));
    }

    [Fact]
    public void Padding_uses_the_pad_token_and_the_mask_marks_it()
    {
        var tokenizer = ClipTestVocabulary.Tokenizer.With(contextLength: 6, padToken: 49407);
        var ids = new int[6];
        var mask = new int[6];
        Assert.Equal(3, tokenizer.EncodeContext<int>("A", ids, mask));
        Assert.Equal([49406, 320, 49407, 49407, 49407, 49407], ids);
        Assert.Equal([1, 1, 1, 0, 0, 0], mask);
        Assert.Equal([49406, 320, 49407, 0, 0, 0], ClipTestVocabulary.Tokenizer.With(contextLength: 6).EncodeContext("A"));
    }

    [Fact]
    public void Batches_pad_to_the_longest_text_when_asked()
    {
        var batch = ClipTestVocabulary.Tokenizer.EncodeBatch(["A", "a man and a WOMAN", ""], padToLongest: true);
        Assert.Equal([3, 7], batch.Shape);
        Assert.Equal([49406, 320, 49407, 0, 0, 0, 0], batch.Row(0).ToArray());
        Assert.Equal([49406, 320, 786, 537, 320, 2308, 49407], batch.Row(1).ToArray());
        Assert.Equal([49406, 49407, 0, 0, 0, 0, 0], batch.Row(2).ToArray());
        Assert.Equal([3, 7, 2], batch.Lengths);
        Assert.Equal(1, batch.EndPosition(2));
        var ids = new int[21];
        batch.CopyIdsTo<int>(ids);
        Assert.Equal(batch.Ids, ids);
        Assert.Throws<ArgumentException>(() => batch.CopyAttentionMaskTo<long>(new long[20]));
    }

    [Fact]
    public void A_context_must_hold_start_and_end()
    {
        Assert.Throws<ArgumentException>(() => ClipTestVocabulary.Tokenizer.EncodeContext<int>("a", new int[1]));
        Assert.Throws<ArgumentException>(() => ClipTestVocabulary.Tokenizer.EncodeContext<int>("a", new int[4], new int[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClipTestVocabulary.Tokenizer.With(contextLength: 1));
    }

    [Theory]
    [InlineData("\"<|endoftext|>\"", 49407)]
    [InlineData("{\"content\": \"!\", \"lstrip\": false}", 0)]
    public async Task A_model_folder_takes_pad_token_and_length_from_tokenizer_config(string padToken, int expectedPad)
    {
        using var folder = new TempFolder();
        await ClipTestVocabulary.WriteVocabAndMergesAsync(folder.Path);
        File.WriteAllText(folder.File("tokenizer_config.json"), $$"""{"pad_token": {{padToken}}, "model_max_length": 64, "do_lower_case": true}""");
        var tokenizer = ClipTokenizer.FromFolder(folder.Path);
        Assert.Equal(64, tokenizer.ContextLength);
        Assert.Equal(expectedPad, tokenizer.PadToken);
        Assert.Equal(expectedPad, tokenizer.EncodeContext("A")[3]);
    }

    [Fact]
    public async Task A_model_folder_ignores_the_placeholder_max_length_and_prefers_tokenizer_json()
    {
        using var folder = new TempFolder();
        await ClipTestVocabulary.WriteTokenizerJsonAsync(folder.Path, mergesAsPairs: false);
        File.WriteAllText(folder.File("vocab.json"), "not read");
        File.WriteAllText(folder.File("tokenizer_config.json"), """{"model_max_length": 1000000000000000019884624838656}""");
        var tokenizer = ClipTokenizer.FromFolder(folder.Path);
        Assert.Equal(77, tokenizer.ContextLength);
        Assert.EndsWith("tokenizer.json", tokenizer.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_immich_model_folder_is_read_from_its_textual_subfolder()
    {
        using var folder = new TempFolder();
        var textual = Directory.CreateDirectory(folder.File("textual")).FullName;
        await ClipTestVocabulary.WriteTokenizerJsonAsync(textual, mergesAsPairs: true);
        File.WriteAllText(Path.Combine(textual, "tokenizer_config.json"), """{"pad_token": "!", "model_max_length": 77}""");
        var tokenizer = ClipTokenizer.FromFolder(folder.Path);
        Assert.StartsWith(textual, tokenizer.Source, StringComparison.Ordinal);
        Assert.Equal([49406, 320, 49407, 0], tokenizer.EncodeContext("A")[..4]);
    }

    [Fact]
    public void A_folder_without_tokenizer_files_says_what_it_looked_for()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.FromFolder(folder.Path));
        Assert.Contains("bpe_simple_vocab_16e6.txt.gz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_gzip_is_named()
    {
        using var folder = new TempFolder();
        var path = folder.File("bpe_simple_vocab_16e6.txt.gz");
        File.WriteAllText(path, "#version: 0.2\ni n\n");
        var error = Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromOpenAiMerges(path));
        Assert.Equal(path, error.FilePath);
        Assert.Contains("gzip", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#version: 0.2\ni n\nt h\nthree parts here\n", 4, "malformed merge")]
    [InlineData("#version: 0.2\ni n\n t\n", 3, "malformed merge")]
    [InlineData("i n\nt h\n", 1, "#version")]
    [InlineData("#version: 0.2\ni n\nt h\n", 4, "ends after 2 merges")]
    public void A_malformed_merges_gz_names_file_and_line(string content, int line, string problem)
    {
        using var folder = new TempFolder();
        var path = folder.File("merges.txt.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gzip.Write(Encoding.UTF8.GetBytes(content));
        var error = Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromOpenAiMerges(path));
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"{path} line {line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_merge_of_tokens_missing_from_vocab_json_names_the_merges_line()
    {
        using var folder = new TempFolder();
        var (vocab, merges) = await ClipTestVocabulary.WriteVocabAndMergesAsync(folder.Path);
        var lines = File.ReadAllLines(merges);
        lines[5] = "zq\u0120 xw";
        File.WriteAllLines(merges, lines);
        var error = Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromHuggingFace(vocab, merges));
        Assert.Equal(merges, error.FilePath);
        Assert.Equal(6, error.Line);
        Assert.Contains("\"zq\u0120\", which is missing from", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vocabulary_without_the_end_token_or_a_byte_symbol_is_refused()
    {
        using var folder = new TempFolder();
        var (vocab, merges) = await ClipTestVocabulary.WriteVocabAndMergesAsync(folder.Path);
        File.WriteAllText(merges, "#version: 0.2\n");
        var text = File.ReadAllText(vocab);
        File.WriteAllText(vocab, text.Replace("\"<|endoftext|>\": 49407,", "", StringComparison.Ordinal));
        var missingEnd = Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromHuggingFace(vocab, merges));
        Assert.Contains("missing vocabulary entry \"<|endoftext|>\"", missingEnd.Message, StringComparison.Ordinal);

        File.WriteAllText(vocab, text.Replace("\"!</w>\": 256,", "", StringComparison.Ordinal));
        var missingByte = Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromHuggingFace(vocab, merges));
        Assert.Contains("\"!</w>\"", missingByte.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_names_the_file_and_line()
    {
        using var folder = new TempFolder();
        var path = folder.File("tokenizer.json");
        File.WriteAllText(path, "{\n  \"model\": {\n    \"vocab\": {\"a\": 1,,}\n  }\n}");
        var error = Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromTokenizerJson(path));
        Assert.Equal(3, error.Line);
        Assert.StartsWith(path + " line 3: invalid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model": {"type": "WordPiece", "vocab": {}}}""", "CLIP needs a BPE model")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": "one"}, "merges": []}}""", "the id of \"a\" is \"one\"")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 1}, "merges": ["a"]}}""", "model.merges[0]: malformed merge")]
    [InlineData("""{"model": {"type": "BPE", "vocab": {"a": 1}, "merges": [["a", "b"]]}}""", "model.merges[0]: merge \"a b\" needs \"b\"")]
    [InlineData("""{"model": {"type": "BPE", "end_of_word_suffix": "", "vocab": {}, "merges": []}}""", "end_of_word_suffix")]
    [InlineData("""{"version": "1.0"}""", "not a Hugging Face tokenizer.json")]
    public void A_tokenizer_json_that_is_not_clips_is_refused_with_the_reason(string json, string problem)
    {
        using var folder = new TempFolder();
        var path = folder.File("tokenizer.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromTokenizerJson(path));
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pad_token_outside_the_vocabulary_is_refused()
    {
        using var folder = new TempFolder();
        await ClipTestVocabulary.WriteVocabAndMergesAsync(folder.Path);
        File.WriteAllText(folder.File("tokenizer_config.json"), """{"pad_token": "<pad>"}""");
        var error = Assert.Throws<TokenizerFormatException>(() => ClipTokenizer.FromFolder(folder.Path));
        Assert.Contains("pad_token \"<pad>\"", error.Message, StringComparison.Ordinal);
    }
}
