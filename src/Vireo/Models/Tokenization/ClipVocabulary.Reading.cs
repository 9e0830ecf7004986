using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Vireo.Models.Tokenization;

public sealed partial class ClipVocabulary
{
    /// <summary>
    /// OpenAI's <c>bpe_simple_vocab_16e6.txt.gz</c> (gzip-compressed): a header line (with "#version"), then one
    /// merge a line, of which CLIP uses the first <see cref="OpenAiMergeCount"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TokenizerFormatException">The file is not such a file (naming the line at fault).</exception>
    public static ClipVocabulary FromOpenAiMerges(string gzPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(gzPath);
        var merges = new List<(string Left, string Right)>(OpenAiMergeCount);
        try
        {
            using var file = TokenizerFiles.OpenRead(gzPath);
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

        var ids = new Dictionary<string, int>(OpenAiMergeCount + 512 + 2, StringComparer.Ordinal);
        foreach (var symbol in ByteLevelAlphabet.SymbolsInVocabularyOrder)
            ids[symbol] = ids.Count;
        foreach (var symbol in ByteLevelAlphabet.SymbolsInVocabularyOrder)
            ids[symbol + EndOfWord] = ids.Count;
        var id = ids.Count;
        foreach (var (left, right) in merges)
            ids[left + right] = id++;
        ids[StartOfText] = id++;
        ids[EndOfText] = id;
        return Checked(ids, merges, null, gzPath);
    }

    /// <summary>Hugging Face's <c>vocab.json</c> (token → id) and <c>merges.txt</c> (optional '#version' header).</summary>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="TokenizerFormatException">A file is malformed, or a merge needs a token the vocabulary lacks.</exception>
    public static ClipVocabulary FromHuggingFace(string vocabJsonPath, string mergesPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(vocabJsonPath);
        ArgumentException.ThrowIfNullOrEmpty(mergesPath);
        using var document = TokenizerFiles.ParseJson(vocabJsonPath);
        var ids = ReadVocabulary(document.RootElement, vocabJsonPath, "the file");
        var merges = new List<(string Left, string Right)>(ids.Count);
        using (var reader = new StreamReader(TokenizerFiles.OpenRead(mergesPath), Encoding.UTF8))
        {
            var line = 0;
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (text.Length == 0 || (line == 1 && text.StartsWith("#version", StringComparison.Ordinal)))
                    continue;
                var merge = ParseMerge(text, mergesPath, line);
                RequireMergeTokens(merge, ids, vocabJsonPath, where => new TokenizerFormatException(mergesPath, line, where));
                merges.Add(merge);
            }
        }
        return Checked(ids, merges, null, $"{vocabJsonPath} + {mergesPath}");
    }

    /// <summary>A Hugging Face <c>tokenizer.json</c> whose model is BPE (merges as "a b" or as ["a", "b"]).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TokenizerFormatException">The file is not a CLIP BPE tokenizer.json.</exception>
    public static ClipVocabulary FromTokenizerJson(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var document = TokenizerFiles.ParseJson(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(path, null, "no \"model\" object: not a Hugging Face tokenizer.json");
        if (model.TryGetProperty("type", out var type) && (type.ValueKind != JsonValueKind.String || type.GetString() != "BPE"))
            throw new TokenizerFormatException(path, null, $"model type is \"{type}\"; CLIP needs a BPE model");
        if (model.TryGetProperty("end_of_word_suffix", out var suffix) && suffix.ValueKind == JsonValueKind.String && suffix.GetString() != EndOfWord)
            throw new TokenizerFormatException(path, null, $"end_of_word_suffix is \"{suffix.GetString()}\"; CLIP's BPE uses \"{EndOfWord}\"");
        if (!model.TryGetProperty("vocab", out var vocab))
            throw new TokenizerFormatException(path, null, "model has no \"vocab\"");
        var ids = ReadVocabulary(vocab, path, "model.vocab");
        if (!model.TryGetProperty("merges", out var mergeArray) || mergeArray.ValueKind != JsonValueKind.Array)
            throw new TokenizerFormatException(path, null, "model has no \"merges\" array");

        var merges = new List<(string Left, string Right)>(mergeArray.GetArrayLength());
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
            RequireMergeTokens(merge, ids, "model.vocab", problem => new TokenizerFormatException(path, null, $"{where}: {problem}"));
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
        return Checked(ids, merges, added, path);
    }

    private static ClipVocabulary Checked(Dictionary<string, int> ids, List<(string Left, string Right)> merges, Dictionary<string, int>? added, string source)
    {
        var symbols = ByteLevelAlphabet.SymbolsInVocabularyOrder;
        foreach (var symbol in symbols.Concat(symbols.Select(s => s + EndOfWord)))
        {
            if (!ids.ContainsKey(symbol))
                throw new TokenizerFormatException(source, null, $"missing vocabulary entry \"{symbol}\" (a byte-level symbol every CLIP vocabulary has)");
        }
        return new ClipVocabulary(ids, merges, SpecialId(StartOfText), SpecialId(EndOfText), source);

        int SpecialId(string token) =>
            ids.TryGetValue(token, out var id) || (added is not null && added.TryGetValue(token, out id))
                ? id
                : throw new TokenizerFormatException(source, null, $"missing vocabulary entry \"{token}\"");
    }

    private static (string Left, string Right) ParseMerge(string text, string path, int? line, string? where = null)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == text.Length - 1 || text.IndexOf(' ', space + 1) >= 0)
        {
            var problem = $"malformed merge \"{text}\": expected two tokens separated by one space";
            throw new TokenizerFormatException(path, line, where is null ? problem : $"{where}: {problem}");
        }
        return (text[..space], text[(space + 1)..]);
    }

    private static void RequireMergeTokens((string Left, string Right) merge, Dictionary<string, int> ids, string vocabularyName, Func<string, Exception> error)
    {
        foreach (var token in (ReadOnlySpan<string>)[merge.Left, merge.Right, merge.Left + merge.Right])
        {
            if (!ids.ContainsKey(token))
                throw error($"merge \"{merge.Left} {merge.Right}\" needs \"{token}\", which is missing from {vocabularyName}");
        }
    }

    private static Dictionary<string, int> ReadVocabulary(JsonElement element, string path, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(path, null, $"{what} must be a JSON object of token → id");
        var ids = new Dictionary<string, int>(50_000, StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var id) || id < 0)
                throw new TokenizerFormatException(path, null, $"{what}: the id of \"{property.Name}\" is {property.Value.GetRawText()}, not a non-negative integer");
            ids[property.Name] = id;
        }
        return ids;
    }
}
