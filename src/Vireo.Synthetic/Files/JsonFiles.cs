using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vireo.Synthetic.Files;

/// <summary>Writes side files as indented JSON, with non-ASCII text and '&lt;', '&gt;' unescaped as Python's json writes them.</summary>
internal static class JsonFiles
{
    public static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = Encoder };

    public static async Task<string> WriteAsync(string path, JsonNode content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, content, Indented, cancellationToken).ConfigureAwait(false);
        return path;
    }
}
