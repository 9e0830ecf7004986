using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vireo.Models.Tokenization;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

/// <summary>The OpenAI CLIP tokenizer from ../shared, loaded once for all tests.</summary>
internal static class ClipTokenizers
{
    private static readonly Lazy<ClipTokenizer> Shared = new(() => ClipTokenizer.FromOpenAiMerges(MergesPath));

    public static string MergesPath => SharedData.Require("data/clip/bpe_simple_vocab_16e6.txt.gz");

    public static ClipTokenizer OpenAi()
    {
        _ = MergesPath;
        return Shared.Value;
    }
}

/// <summary>Writes CLIP's vocabulary the way Hugging Face saves it, from OpenAI's merges file.</summary>
internal static class HuggingFaceLayout
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>vocab.json (indent 2, sorted keys, UTF-8) and merges.txt ("#version: 0.2" then one merge a line).</summary>
    public static (string Vocab, string Merges) WriteVocabAndMerges(string folder)
    {
        var source = ClipVocabulary.FromOpenAiMerges(ClipTokenizers.MergesPath);
        var vocab = Path.Combine(folder, "vocab.json");
        var sorted = new JsonObject();
        foreach (var (token, id) in source.Tokens.OrderBy(p => p.Key, StringComparer.Ordinal))
            sorted[token] = id;
        File.WriteAllText(vocab, sorted.ToJsonString(Pretty) + "\n", new UTF8Encoding(false));
        var merges = Path.Combine(folder, "merges.txt");
        File.WriteAllText(merges, "#version: 0.2\n" + string.Join("\n", source.Merges) + "\n", new UTF8Encoding(false));
        return (vocab, merges);
    }

    /// <summary>A tokenizer.json as the tokenizers library writes CLIP's (merges as strings, or as pairs in its newer format).</summary>
    public static string WriteTokenizerJson(string folder, bool mergesAsPairs)
    {
        var source = ClipVocabulary.FromOpenAiMerges(ClipTokenizers.MergesPath);
        var vocab = new JsonObject();
        foreach (var (token, id) in source.Tokens.OrderBy(p => p.Value))
            vocab[token] = id;
        var merges = new JsonArray();
        foreach (var merge in source.Merges)
            merges.Add(mergesAsPairs ? new JsonArray(merge.Split(' ').Select(p => (JsonNode)p!).ToArray()) : (JsonNode)merge);
        var document = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = new JsonArray(AddedToken(49406, "<|startoftext|>"), AddedToken(49407, "<|endoftext|>")),
            ["normalizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["normalizers"] = new JsonArray(
                    new JsonObject { ["type"] = "NFC" },
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["Regex"] = "\\s+" }, ["content"] = " " },
                    new JsonObject { ["type"] = "Lowercase" }),
            },
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = "<|endoftext|>",
                ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "</w>",
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
        var path = Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(path, document.ToJsonString(Pretty), new UTF8Encoding(false));
        return path;
    }

    private static JsonObject AddedToken(int id, string content) => new()
    {
        ["id"] = id,
        ["content"] = content,
        ["single_word"] = false,
        ["lstrip"] = false,
        ["rstrip"] = false,
        ["normalized"] = true,
        ["special"] = true,
    };
}
