using System.Text;

namespace Vireo.Research.Datasets;

/// <summary>An RFC 4180 CSV reader: quoted fields may hold commas, doubled quotes and line breaks.</summary>
internal static class CsvReader
{
    /// <summary>The records of <paramref name="text"/>, each with the 1-based line where it starts.</summary>
    public static List<(int Line, string[] Fields)> Parse(string text, string path)
    {
        var records = new List<(int, string[])>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                        line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    if (fieldStarted || field.Length > 0 || fields.Count > 0)
                    {
                        fields.Add(field.ToString());
                        records.Add((recordLine, fields.ToArray()));
                    }
                    fields.Clear();
                    field.Clear();
                    fieldStarted = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }
        if (quoted)
            throw new DatasetFormatException(path, recordLine, "unterminated quoted field");
        if (fieldStarted || field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields.ToArray()));
        }
        return records;
    }

    /// <summary>Reads a CSV file with a header: the header and the data records (an empty file is an error).</summary>
    public static async Task<(string[] Header, List<(int Line, string[] Fields)> Records)> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var records = Parse(await AnnotationFiles.ReadTextAsync(path, cancellationToken).ConfigureAwait(false), path);
        if (records.Count == 0)
            throw new DatasetFormatException(path, 1, "empty file");
        var header = records[0].Fields;
        records.RemoveAt(0);
        return (header, records);
    }

    /// <summary>The index of column <paramref name="name"/> in the header, or an error naming the file.</summary>
    public static int Column(string[] header, string name, string path)
    {
        var index = Array.FindIndex(header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
            throw new DatasetFormatException(path, 1, $"no '{name}' column in the header ({string.Join(",", header)})");
        return index;
    }
}
