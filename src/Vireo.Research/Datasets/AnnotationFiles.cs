using System.Text.Json;

namespace Vireo.Research.Datasets;

/// <summary>Reading annotation files with errors that name the file (and the line where there is one).</summary>
internal static class AnnotationFiles
{
    public static async Task<string> ReadTextAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new DatasetFormatException(path, 0, "the file does not exist");
        return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<string[]> ReadLinesAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new DatasetFormatException(path, 0, "the file does not exist");
        return await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
    }

    public static JsonDocument ParseJson(string path, string text, int line = 0)
    {
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            // The reader's own message ends in "LineNumber: 0 | BytePositionInLine: 51.": say where in plain words instead.
            var where = e.BytePositionInLine is { } column ? $" (the problem is near character {column + 1} of the line)" : "";
            throw new DatasetFormatException(path, line > 0 ? line : (int)(e.LineNumber ?? -1) + 1, (line > 0 ? "the line" : "the file") + " is not valid JSON" + where, e);
        }
    }

    /// <summary>Reads a JSON Lines file: one JSON object per non-blank line, with its 1-based line number.</summary>
    public static async Task<List<(int Line, JsonDocument Document)>> ReadJsonLinesAsync(string path, CancellationToken cancellationToken)
    {
        var lines = await ReadLinesAsync(path, cancellationToken).ConfigureAwait(false);
        var records = new List<(int, JsonDocument)>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            var document = ParseJson(path, lines[i], i + 1);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new DatasetFormatException(path, i + 1, "expected a JSON object on each line");
            records.Add((i + 1, document));
        }
        return records;
    }

    public static JsonElement Required(JsonElement record, string name, string path, int line, string where = "")
    {
        if (record.ValueKind != JsonValueKind.Object || !record.TryGetProperty(name, out var value))
            throw new DatasetFormatException(path, line, $"{where}missing field '{name}'");
        return value;
    }

    public static double Number(JsonElement value, string name, string path, int line, string where = "")
    {
        if (value.ValueKind == JsonValueKind.Number)
            return value.GetDouble();
        if (value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            return parsed;
        throw new DatasetFormatException(path, line, $"{where}field '{name}' is not a number ({value.GetRawText()})");
    }

    public static string Text(JsonElement value, string name, string path, int line, string where = "") => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new DatasetFormatException(path, line, $"{where}field '{name}' is not a string ({value.GetRawText()})"),
    };

    /// <summary>A [[a, b], ...] array of number pairs.</summary>
    public static List<(double A, double B)> Pairs(JsonElement value, string name, string path, int line, string where = "")
    {
        if (value.ValueKind != JsonValueKind.Array)
            throw new DatasetFormatException(path, line, $"{where}field '{name}' is not an array of [start, end] pairs");
        var pairs = new List<(double, double)>(value.GetArrayLength());
        foreach (var pair in value.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() < 2)
                throw new DatasetFormatException(path, line, $"{where}field '{name}' holds {pair.GetRawText()}, not a [start, end] pair");
            pairs.Add((Number(pair[0], name, path, line, where), Number(pair[1], name, path, line, where)));
        }
        return pairs;
    }
}
