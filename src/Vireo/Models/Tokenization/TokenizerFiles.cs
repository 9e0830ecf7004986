using System.Text.Json;

namespace Vireo.Models.Tokenization;

/// <summary>Opening tokenizer files, with errors that name the file.</summary>
internal static class TokenizerFiles
{
    public static FileStream OpenRead(string path)
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

    /// <summary>The file as JSON; invalid JSON is a <see cref="TokenizerFormatException"/> with the file and line.</summary>
    public static JsonDocument ParseJson(string path)
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
}
