using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Vireo.Models.Tokenization;

/// <summary>
/// A CLIP byte-level BPE vocabulary (token → id) and its merge list, read from one of the three layouts
/// CLIP tokenizers ship in, and checked: every merge's parts and result and every byte symbol are tokens.
/// </summary>
internal sealed class ClipVocabulary
{
    internal const string EndOfWord = "</w>";

    /// <summary>Merges CLIP uses from the OpenAI file: 49152 minus the 256 bytes minus the two special tokens.</summary>
    internal const int OpenAiMergeCount = 49152 - 256 - 2;

    private ClipVocabulary(Dictionary<string, int> tokens, List<string> merges, int startId, int endId, string source)
    {
        Tokens = tokens;
        Merges = merges;
        StartId = startId;
        EndId = endId;
        Source = source;
    }

    public Dictionary<string, int> Tokens { get; }

    /// <summary>The merges, best first, as "left right".</summary>
    public List<string> Merges { get; }

    public int StartId { get; }

    public int EndId { get; }

    /// <summary>The file(s) the vocabulary came from.</summary>
    public string Source { get; }

    /// <summary>OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c>: a header line (with "#version"), then one merge a line.</summary>
    public static ClipVocabulary FromOpenAiMerges(string gzPath)
    {
        var merges = new List<string>(OpenAiMergeCount);
        try
        {
            using var file = OpenRead(gzPath);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, new UTF8Encoding(false, true));
            var header = reader.ReadLine();
            if (header is null || !header.Contains("#version", StringComparison.Ordinal))
                throw new TokenizerFormatException(gzPath, 1, "expected the '#version' header of a BPE merges file");
            for (var line = 2; merges.Count < OpenAiMergeCount; line++)
            {
                var text = reader.ReadLine()
                    ?? throw new TokenizerFormatException(gzPath, line, $"the file ends after {merges.Count} merges; CLIP needs {OpenAiMergeCount}");
                merges.Add(ParseMerge(text, gzPath, line));
            }
        }
        catch (Exception e) when (e is InvalidDataException or DecoderFallbackException)
        {
            throw new TokenizerFormatException(gzPath, null, "not a valid gzip-compressed UTF-8 merges file: " + e.Message, e);
        }

        var tokens = new Dictionary<string, int>(OpenAiMergeCount + 512 + 2, StringComparer.Ordinal);
        foreach (var symbol in ByteLevelAlphabet.SymbolsInVocabularyOrder)
            tokens[symbol] = tokens.Count;
        foreach (var symbol in ByteLevelAlphabet.SymbolsInVocabularyOrder)
            tokens[symbol + EndOfWord] = tokens.Count;
        var id = tokens.Count;
        foreach (var merge in merges)
            tokens[merge.Replace(" ", "", StringComparison.Ordinal)] = id++;
        tokens[ClipPreTokenizer.StartText] = id++;
        tokens[ClipPreTokenizer.EndText] = id;
        return Checked(tokens, merges, null, gzPath);
    }

    /// <summary>Hugging Face's <c>vocab.json</c> (token → id) and <c>merges.txt</c> (optional '#version' header).</summary>
    public static ClipVocabulary FromHuggingFace(string vocabJsonPath, string mergesPath)
    {
        using var document = ParseJson(vocabJsonPath);
        var tokens = ReadVocabulary(document.RootElement, vocabJsonPath, "the file");
        var merges = new List<string>(tokens.Count);
        using (var reader = new StreamReader(OpenRead(mergesPath), Encoding.UTF8))
        {
            var line = 0;
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (text.Length == 0 || (line == 1 && text.StartsWith("#version", StringComparison.Ordinal)))
                    continue;
                var merge = ParseMerge(text, mergesPath, line);
                RequireMergeTokens(merge, tokens, vocabJsonPath, where => new TokenizerFormatException(mergesPath, line, where));
                merges.Add(merge);
            }
        }
        return Checked(tokens, merges, null, $"{vocabJsonPath} + {mergesPath}");
    }

    /// <summary>A Hugging Face <c>tokenizer.json</c> whose model is BPE (merges as "a b" or as ["a", "b"]).</summary>
    public static ClipVocabulary FromTokenizerJson(string path)
    {
        using var document = ParseJson(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(path, null, "no \"model\" object: not a Hugging Face tokenizer.json");
        if (model.TryGetProperty("type", out var type) && (type.ValueKind != JsonValueKind.String || type.GetString() != "BPE"))
            throw new TokenizerFormatException(path, null, $"model type is \"{type}\"; CLIP needs a BPE model");
        if (model.TryGetProperty("end_of_word_suffix", out var suffix) && suffix.ValueKind == JsonValueKind.String && suffix.GetString() != EndOfWord)
            throw new TokenizerFormatException(path, null, $"end_of_word_suffix is \"{suffix.GetString()}\"; CLIP's BPE uses \"{EndOfWord}\"");
        if (!model.TryGetProperty("vocab", out var vocab))
            throw new TokenizerFormatException(path, null, "model has no \"vocab\"");
        var tokens = ReadVocabulary(vocab, path, "model.vocab");
        if (!model.TryGetProperty("merges", out var mergeArray) || mergeArray.ValueKind != JsonValueKind.Array)
            throw new TokenizerFormatException(path, null, "model has no \"merges\" array");

        var merges = new List<string>(mergeArray.GetArrayLength());
        var index = 0;
        foreach (var item in mergeArray.EnumerateArray())
        {
            var where = $"model.merges[{index}]";
            var merge = item.ValueKind switch
            {
                JsonValueKind.String => ParseMerge(item.GetString()!, path, null, where),
                JsonValueKind.Array when item.GetArrayLength() == 2 && item[0].ValueKind == JsonValueKind.String && item[1].ValueKind == JsonValueKind.String
                    => ParseMerge(item[0].GetString() + " " + item[1].GetString(), path, null, where),
                _ => throw new TokenizerFormatException(path, null, $"{where} is {item.GetRawText()}; expected \"left right\" or [\"left\", \"right\"]"),
            };
            RequireMergeTokens(merge, tokens, "model.vocab", problem => new TokenizerFormatException(path, null, $"{where}: {problem}"));
            merges.Add(merge);
            index++;
        }

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var addedTokens) && addedTokens.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in addedTokens.EnumerateArray())
            {
                if (token.TryGetProperty("content", out var content) && token.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var value))
                    added[content.GetString() ?? ""] = value;
            }
        }
        return Checked(tokens, merges, added, path);
    }

    private static ClipVocabulary Checked(Dictionary<string, int> tokens, List<string> merges, Dictionary<string, int>? added, string source)
    {
        var symbols = ByteLevelAlphabet.SymbolsInVocabularyOrder;
        foreach (var symbol in symbols.Concat(symbols.Select(s => s + EndOfWord)))
        {
            if (!tokens.ContainsKey(symbol))
                throw new TokenizerFormatException(source, null, $"missing vocabulary entry \"{symbol}\" (a byte-level symbol every CLIP vocabulary has)");
        }
        return new ClipVocabulary(tokens, merges, SpecialId(ClipPreTokenizer.StartText), SpecialId(ClipPreTokenizer.EndText), source);

        int SpecialId(string token) =>
            tokens.TryGetValue(token, out var id) || (added is not null && added.TryGetValue(token, out id))
                ? id
                : throw new TokenizerFormatException(source, null, $"missing vocabulary entry \"{token}\"");
    }

    private static string ParseMerge(string text, string path, int? line, string? where = null)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == text.Length - 1 || text.IndexOf(' ', space + 1) >= 0)
        {
            var problem = $"malformed merge \"{text}\": expected two tokens separated by one space";
            throw new TokenizerFormatException(path, line, where is null ? problem : $"{where}: {problem}");
        }
        return text;
    }

    private static void RequireMergeTokens(string merge, Dictionary<string, int> tokens, string vocabularyName, Func<string, Exception> error)
    {
        var space = merge.IndexOf(' ', StringComparison.Ordinal);
        foreach (var token in (ReadOnlySpan<string>)[merge[..space], merge[(space + 1)..], merge.Remove(space, 1)])
        {
            if (!tokens.ContainsKey(token))
                throw error($"merge \"{merge}\" needs \"{token}\", which is missing from {vocabularyName}");
        }
    }

    private static Dictionary<string, int> ReadVocabulary(JsonElement element, string path, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(path, null, $"{what} must be a JSON object of token → id");
        var tokens = new Dictionary<string, int>(50_000, StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var id) || id < 0)
                throw new TokenizerFormatException(path, null, $"{what}: the id of \"{property.Name}\" is {property.Value.GetRawText()}, not a non-negative integer");
            tokens[property.Name] = id;
        }
        return tokens;
    }

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            using var stream = OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException(path, (int?)e.LineNumber + 1, "invalid JSON: " + e.Message, e);
        }
    }

    internal static FileStream OpenRead(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"tokenizer file not found: {path}", path, e);
        }
    }
}
