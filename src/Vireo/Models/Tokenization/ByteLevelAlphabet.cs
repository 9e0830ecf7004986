namespace Vireo.Models.Tokenization;

/// <summary>
/// GPT-2/CLIP's reversible map from bytes to printable characters: printable Latin-1 bytes stand for
/// themselves, the others (controls, space, soft hyphen...) are moved to U+0100 and up, in byte order.
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>The 256 symbols in CLIP's vocabulary order: the printable bytes first, then the moved ones.</summary>
    public static IReadOnlyList<string> SymbolsInVocabularyOrder { get; } = Build();

    private static string[] Build()
    {
        var symbols = new List<string>(256);
        for (var b = 0; b < 256; b++)
        {
            if (IsPrintable(b))
                symbols.Add(((char)b).ToString());
        }
        var moved = 0;
        for (var b = 0; b < 256; b++)
        {
            if (!IsPrintable(b))
                symbols.Add(((char)(256 + moved++)).ToString());
        }
        return [.. symbols];
    }

    private static bool IsPrintable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
}
