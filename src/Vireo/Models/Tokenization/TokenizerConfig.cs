using System.Text.Json;

namespace Vireo.Models.Tokenization;

/// <summary>What Vireo reads from a Hugging Face <c>tokenizer_config.json</c>: the pad token and the context length.</summary>
internal sealed record TokenizerConfig(string? PadToken, int? ModelMaxLength)
{
    // Hugging Face writes a huge model_max_length (int(1e30)) when the model sets none.
    private const long LargestRealContext = 1 << 20;

    public static TokenizerConfig Read(string path)
    {
        using var document = TokenizerFiles.ParseJson(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(path, null, "expected a JSON object");
        string? pad = null;
        if (root.TryGetProperty("pad_token", out var padToken))
        {
            pad = padToken.ValueKind switch
            {
                JsonValueKind.String => padToken.GetString(),
                JsonValueKind.Object when padToken.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String => content.GetString(),
                JsonValueKind.Null => null,
                _ => throw new TokenizerFormatException(path, null, $"pad_token is {padToken.GetRawText()}; expected a string or {{\"content\": ...}}"),
            };
        }
        int? maxLength = null;
        if (root.TryGetProperty("model_max_length", out var max) && max.ValueKind == JsonValueKind.Number)
        {
            var value = max.GetDouble();
            if (value < 2)
                throw new TokenizerFormatException(path, null, $"model_max_length is {max.GetRawText()}; it must hold at least the start and end tokens");
            if (value <= LargestRealContext)
                maxLength = (int)value;
        }
        return new TokenizerConfig(pad, maxLength);
    }
}
