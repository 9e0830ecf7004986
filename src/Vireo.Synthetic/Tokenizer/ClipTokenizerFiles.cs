using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vireo.Synthetic.Tokenizer;

/// <summary>Which tokenizer files to write besides tokenizer_config.json and special_tokens_map.json.</summary>
[Flags]
public enum TokenizerFileSet
{
    /// <summary>The Hugging Face tokenizers file <c>tokenizer.json</c> (BPE model, normalizer, pre-tokenizer, post-processor).</summary>
    TokenizerJson = 1,

    /// <summary>The slow-tokenizer pair <c>vocab.json</c> + <c>merges.txt</c>.</summary>
    VocabAndMerges = 2,

    All = TokenizerJson | VocabAndMerges,
}

/// <summary>Settings written into tokenizer_config.json and special_tokens_map.json.</summary>
public sealed record TokenizerFileOptions
{
    /// <summary>The padding token: "&lt;|endoftext|&gt;" (id 49407) in Hugging Face's CLIP configs; "!" (id 0) pads like OpenAI's code.</summary>
    public string PadToken { get; init; } = ClipVocabulary.EndOfText;

    public int ModelMaxLength { get; init; } = 77;
}

/// <summary>
/// Writes CLIP tokenizer files in the Hugging Face formats (the files AutoTokenizer.save_pretrained leaves for
/// openai/clip-vit-base-patch32, which immich also ships): tokenizer.json, vocab.json, merges.txt,
/// tokenizer_config.json and special_tokens_map.json.
/// </summary>
public static class ClipTokenizerFiles
{
    private static readonly JsonWriterOptions Writer = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the chosen files into <paramref name="folder"/>; returns their paths.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(ClipVocabulary vocabulary, string folder, TokenizerFileSet files = TokenizerFileSet.All,
        TokenizerFileOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        options ??= new TokenizerFileOptions();
        if (!vocabulary.Ids.ContainsKey(options.PadToken))
            throw new ArgumentException($"the pad token '{options.PadToken}' is not in the vocabulary", nameof(options));
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        async Task Write(string name, Func<Stream, Task> body)
        {
            var path = Path.Combine(folder, name);
            await using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                await body(stream).ConfigureAwait(false);
            written.Add(path);
        }
        if (files.HasFlag(TokenizerFileSet.TokenizerJson))
            await Write("tokenizer.json", s => WriteJsonAsync(s, w => WriteTokenizerJson(w, vocabulary), cancellationToken)).ConfigureAwait(false);
        if (files.HasFlag(TokenizerFileSet.VocabAndMerges))
        {
            await Write("vocab.json", s => WriteJsonAsync(s, w => WriteVocab(w, vocabulary), cancellationToken)).ConfigureAwait(false);
            await Write("merges.txt", s => WriteMergesAsync(s, vocabulary, cancellationToken)).ConfigureAwait(false);
        }
        await Write("tokenizer_config.json", s => JsonSerializer.SerializeAsync(s, TokenizerConfig(options), Indented, cancellationToken)).ConfigureAwait(false);
        await Write("special_tokens_map.json", s => JsonSerializer.SerializeAsync(s, SpecialTokens(options), Indented, cancellationToken)).ConfigureAwait(false);
        return written;
    }

    /// <summary>tokenizer_config.json of Hugging Face's CLIPTokenizer.</summary>
    public static JsonObject TokenizerConfig(TokenizerFileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JsonObject
        {
            ["tokenizer_class"] = "CLIPTokenizer",
            ["bos_token"] = ClipVocabulary.StartOfText,
            ["eos_token"] = ClipVocabulary.EndOfText,
            ["unk_token"] = ClipVocabulary.EndOfText,
            ["pad_token"] = options.PadToken,
            ["model_max_length"] = options.ModelMaxLength,
            ["do_lower_case"] = true,
            ["add_prefix_space"] = false,
            ["errors"] = "replace",
            ["clean_up_tokenization_spaces"] = true,
        };
    }

    private static JsonObject SpecialTokens(TokenizerFileOptions options) => new()
    {
        ["bos_token"] = ClipVocabulary.StartOfText,
        ["eos_token"] = ClipVocabulary.EndOfText,
        ["unk_token"] = ClipVocabulary.EndOfText,
        ["pad_token"] = options.PadToken,
    };

    private static async Task WriteJsonAsync(Stream stream, Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(stream, Writer);
        body(writer);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteMergesAsync(Stream stream, ClipVocabulary vocabulary, CancellationToken cancellationToken)
    {
        await using var text = new StreamWriter(stream, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
        await text.WriteLineAsync("#version: 0.2").ConfigureAwait(false);
        foreach (var (left, right) in vocabulary.Merges)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await text.WriteLineAsync($"{left} {right}").ConfigureAwait(false);
        }
    }

    private static void WriteVocab(Utf8JsonWriter w, ClipVocabulary vocabulary)
    {
        w.WriteStartObject();
        for (var id = 0; id < vocabulary.Count; id++)
            w.WriteNumber(vocabulary.Tokens[id], id);
        w.WriteEndObject();
    }

    private static void WriteTokenizerJson(Utf8JsonWriter w, ClipVocabulary vocabulary)
    {
        w.WriteStartObject();
        w.WriteString("version", "1.0");
        w.WriteNull("truncation");
        w.WriteNull("padding");
        w.WriteStartArray("added_tokens");
        foreach (var special in new[] { ClipVocabulary.StartOfText, ClipVocabulary.EndOfText })
        {
            w.WriteStartObject();
            w.WriteNumber("id", vocabulary.Ids[special]);
            w.WriteString("content", special);
            w.WriteBoolean("single_word", false);
            w.WriteBoolean("lstrip", false);
            w.WriteBoolean("rstrip", false);
            w.WriteBoolean("normalized", true);
            w.WriteBoolean("special", true);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        // Text cleaning: NFC, runs of whitespace to one space, lower case.
        w.WritePropertyName("normalizer");
        WriteNode(w, new JsonObject
        {
            ["type"] = "Sequence",
            ["normalizers"] = new JsonArray(
                new JsonObject { ["type"] = "NFC" },
                new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["Regex"] = @"\s+" }, ["content"] = " " },
                new JsonObject { ["type"] = "Lowercase" }),
        });
        // CLIP's word pattern (special tokens, contractions, letter runs, single digits, other symbol runs), then bytes to characters.
        w.WritePropertyName("pre_tokenizer");
        WriteNode(w, new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "Split",
                    ["pattern"] = new JsonObject { ["Regex"] = @"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+" },
                    ["behavior"] = "Removed",
                    ["invert"] = true,
                },
                new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
        });
        w.WritePropertyName("post_processor");
        WriteNode(w, new JsonObject
        {
            ["type"] = "RobertaProcessing",
            ["sep"] = new JsonArray(ClipVocabulary.EndOfText, vocabulary.EndOfTextId),
            ["cls"] = new JsonArray(ClipVocabulary.StartOfText, vocabulary.StartOfTextId),
            ["trim_offsets"] = false,
            ["add_prefix_space"] = false,
        });
        w.WritePropertyName("decoder");
        WriteNode(w, new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true });

        w.WriteStartObject("model");
        w.WriteString("type", "BPE");
        w.WriteNull("dropout");
        w.WriteString("unk_token", ClipVocabulary.EndOfText);
        w.WriteString("continuing_subword_prefix", "");
        w.WriteString("end_of_word_suffix", ClipVocabulary.EndOfWord);
        w.WriteBoolean("fuse_unk", false);
        w.WriteBoolean("byte_fallback", false);
        w.WritePropertyName("vocab");
        WriteVocab(w, vocabulary);
        w.WriteStartArray("merges");
        foreach (var (left, right) in vocabulary.Merges)
            w.WriteStringValue(left + " " + right);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter w, JsonNode node) => node.WriteTo(w);
}
