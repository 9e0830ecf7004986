using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vireo.Models.Tokenization;
using Vireo.Synthetic.Layouts;
using Vireo.Synthetic.Files;

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

    public int ModelMaxLength { get; init; } = ClipTokenizer.DefaultContextLength;

    /// <summary>
    /// Write tokenizer.json's merges as ["left", "right"] pairs, as tokenizers 0.20 and later save them, instead of
    /// "left right" strings.
    /// </summary>
    public bool MergesAsPairs { get; init; }
}

/// <summary>
/// Writes CLIP tokenizer files in the Hugging Face formats (the files AutoTokenizer.save_pretrained leaves for
/// openai/clip-vit-base-patch32, which immich also ships): tokenizer.json, vocab.json, merges.txt,
/// tokenizer_config.json and special_tokens_map.json.
/// </summary>
public static class ClipTokenizerFiles
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JsonFiles.Encoder };
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JsonFiles.Encoder };

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
            await Write("tokenizer.json", s => WriteJsonAsync(s, Compact, w => WriteTokenizerJson(w, vocabulary, options), cancellationToken)).ConfigureAwait(false);
        if (files.HasFlag(TokenizerFileSet.VocabAndMerges))
        {
            await Write("vocab.json", s => WriteVocabJsonAsync(s, vocabulary, cancellationToken)).ConfigureAwait(false);
            await Write("merges.txt", s => WriteMergesAsync(s, vocabulary, cancellationToken)).ConfigureAwait(false);
        }
        written.Add(await JsonFiles.WriteAsync(Path.Combine(folder, "tokenizer_config.json"), TokenizerConfig(options), cancellationToken).ConfigureAwait(false));
        written.Add(await JsonFiles.WriteAsync(Path.Combine(folder, "special_tokens_map.json"), SpecialTokens(options), cancellationToken).ConfigureAwait(false));
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

    private static async Task WriteJsonAsync(Stream stream, JsonWriterOptions format, Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(stream, format);
        body(writer);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    // As CLIPTokenizer.save_vocabulary writes it: json.dumps(encoder, indent=2, sort_keys=True, ensure_ascii=False) + "\n".
    private static async Task WriteVocabJsonAsync(Stream stream, ClipVocabulary vocabulary, CancellationToken cancellationToken)
    {
        await WriteJsonAsync(stream, Indented, w => WriteVocab(w, vocabulary.Ids.OrderBy(p => p.Key, StringComparer.Ordinal)), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteMergesAsync(Stream stream, ClipVocabulary vocabulary, CancellationToken cancellationToken)
    {
        await using var text = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
        await text.WriteLineAsync("#version: 0.2").ConfigureAwait(false);
        foreach (var (left, right) in vocabulary.Merges)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await text.WriteLineAsync($"{left} {right}").ConfigureAwait(false);
        }
    }

    private static void WriteVocab(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, int>> entries)
    {
        w.WriteStartObject();
        foreach (var (token, id) in entries)
            w.WriteNumber(token, id);
        w.WriteEndObject();
    }

    private static void WriteTokenizerJson(Utf8JsonWriter w, ClipVocabulary vocabulary, TokenizerFileOptions options)
    {
        w.WriteStartObject();
        w.WriteString("version", "1.0");
        w.WriteNull("truncation");
        w.WriteNull("padding");
        w.WriteStartArray("added_tokens");
        foreach (var (special, id) in new[] { (ClipVocabulary.StartOfText, vocabulary.StartOfTextId), (ClipVocabulary.EndOfText, vocabulary.EndOfTextId) })
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
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
        WriteVocab(w, vocabulary.Ids.OrderBy(p => p.Value));
        w.WriteStartArray("merges");
        foreach (var (left, right) in vocabulary.Merges)
        {
            if (options.MergesAsPairs)
            {
                w.WriteStartArray();
                w.WriteStringValue(left);
                w.WriteStringValue(right);
                w.WriteEndArray();
            }
            else
            {
                w.WriteStringValue(left + " " + right);
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteNode(Utf8JsonWriter w, JsonNode node) => node.WriteTo(w);
}
