using System.CommandLine;
using System.Text.Json;
using Vireo.Models.Tokenization;
using Vireo.Cli.Terminal;

namespace Vireo.Cli.Commands;

/// <summary>
/// <c>vireo tokenize [TEXT...] [--jsonl FILE] (--merges PATH | --model DIR)</c>: CLIP token ids of texts, and a
/// check against reference ids when the JSONL lines carry them (<c>bpe_ids</c>, <c>context77</c>).
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create(CliConsole console)
    {
        var texts = new Argument<string[]>("text") { Description = "Texts to tokenize.", Arity = ArgumentArity.ZeroOrMore };
        var jsonl = new Option<string?>("--jsonl") { Description = "A JSONL file: one {\"text\": ...} per line; \"bpe_ids\" / \"context77\" there are checked." };
        var merges = new Option<string?>("--merges") { Description = "OpenAI's bpe_simple_vocab_16e6.txt.gz." };
        var model = new Option<string?>("--model") { Description = "A model folder with tokenizer.json, vocab.json + merges.txt, or the OpenAI merges." };
        var context = new Option<int?>("--context") { Description = "Context length (default 77, or the model's)." };
        var pad = new Option<int?>("--pad-id") { Description = "Pad id (default 0, or the model's pad token)." };
        var json = CommandGuard.JsonOption();
        var command = new Command("tokenize", "Show the CLIP token ids of texts, or check a JSONL file of reference ids.")
        {
            texts, jsonl, merges, model, context, pad, json,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(merges) is null) == (result.GetValue(model) is null))
                result.AddError("give the vocabulary with either --merges or --model");
            if (result.GetValue(jsonl) is null && result.GetValue(texts) is not { Length: > 0 })
                result.AddError("give texts or --jsonl FILE");
        });
        context.Check(n => n is not < 2, "--context must be at least 2 (start and end tokens)");
        command.SetAction((result, ct) =>
        {
            var asJson = result.GetValue(json);
            return CommandGuard.RunAsync(console, asJson, async () =>
            {
                var tokenizer = Load(result.GetValue(merges), result.GetValue(model)).With(result.GetValue(context), result.GetValue(pad));
                var items = new List<Item>();
                foreach (var text in result.GetValue(texts) ?? [])
                    items.Add(Encode(tokenizer, text, null, null));
                if (result.GetValue(jsonl) is { } path)
                    items.AddRange(await ReadJsonlAsync(tokenizer, path, ct).ConfigureAwait(false));
                return Report(console, asJson, tokenizer, items);
            });
        });
        return command;
    }

    private sealed record Item(string Text, IReadOnlyList<int> BpeIds, int[] Ids, bool? Matches, int? Line);

    private sealed record TokenizeResult(string Tokenizer, int ContextLength, int PadId, int Checked, int Matched, IReadOnlyList<Item> Results);

    private static ClipTokenizer Load(string? merges, string? model)
    {
        try
        {
            return merges is not null ? ClipTokenizer.FromOpenAiMerges(merges) : ClipTokenizer.FromFolder(model!);
        }
        catch (TokenizerFormatException e)
        {
            throw new CliInputException(e.Message, e.FilePath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliInputException(e.Message, merges ?? model);
        }
    }

    private static Item Encode(ClipTokenizer tokenizer, string text, int[]? expectedBpe, int[]? expectedContext, int? line = null)
    {
        var bpe = tokenizer.EncodeBpe(text);
        var ids = new int[tokenizer.ContextLength];
        tokenizer.EncodeContext<int>(text, ids);
        bool? matches = expectedBpe is null && expectedContext is null
            ? null
            : (expectedBpe is null || bpe.SequenceEqual(expectedBpe)) && (expectedContext is null || ids.SequenceEqual(expectedContext));
        return new Item(text, bpe, ids, matches, line);
    }

    private static async Task<List<Item>> ReadJsonlAsync(ClipTokenizer tokenizer, string path, CancellationToken ct)
    {
        if (!File.Exists(path))
            throw new CliInputException($"{path}: no such file", path);
        var items = new List<Item>();
        var number = 0;
        using var reader = new StreamReader(path);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var text = root.ValueKind == JsonValueKind.String ? root.GetString()! : root.GetProperty("text").GetString()
                    ?? throw new CliInputException($"{path} line {number}: \"text\" is null", path);
                items.Add(Encode(tokenizer, text, Ids(root, "bpe_ids"), Ids(root, "context77"), number));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new CliInputException($"{path} line {number}: expected a JSON string or an object with \"text\" ({e.Message})", path);
            }
        }
        return items;
    }

    private static int[]? Ids(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var ids) ? ids.EnumerateArray().Select(e => e.GetInt32()).ToArray() : null;

    private static int Report(CliConsole console, bool asJson, ClipTokenizer tokenizer, List<Item> items)
    {
        var checkedItems = items.Where(i => i.Matches is not null).ToList();
        var matched = checkedItems.Count(i => i.Matches == true);
        if (asJson)
        {
            CliJson.Write(console.Out, new TokenizeResult(tokenizer.Source, tokenizer.ContextLength, tokenizer.PadToken, checkedItems.Count, matched, items));
        }
        else
        {
            foreach (var item in items.Where(i => i.Matches is null))
                console.Out.WriteLine($"{item.Text}\n  bpe [{string.Join(", ", item.BpeIds)}]\n  ids [{string.Join(", ", item.Ids)}]");
            foreach (var item in checkedItems.Where(i => i.Matches == false).Take(20))
                console.Out.WriteLine($"line {item.Line}: differs: {JsonSerializer.Serialize(item.Text)} -> [{string.Join(", ", item.BpeIds)}]");
            if (checkedItems.Count > 0)
                console.Out.WriteLine($"{matched} of {checkedItems.Count} lines match their reference ids");
        }
        if (matched == checkedItems.Count)
            return ExitCodes.Ok;
        console.Error.WriteLine($"error: {checkedItems.Count - matched} of {checkedItems.Count} lines differ from their reference ids");
        return ExitCodes.Internal;
    }
}
