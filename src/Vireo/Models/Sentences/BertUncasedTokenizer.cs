using System.Globalization;
using System.Text;

namespace Vireo.Models.Sentences;

/// <summary>
/// BERT uncased tokenization as Hugging Face's tokenizers run it (BertNormalizer, BertPreTokenizer, WordPiece):
/// control characters removed and white space made a space; CJK ideographs set apart; accents stripped
/// (<see cref="AccentFolding"/>) and letters lowered; split at white space and around every punctuation character;
/// each word cut greedily into the longest word pieces of the vocabulary ("##" continues a word), a word that cannot
/// be cut (or of more than 100 characters) being [UNK]. Written here because Microsoft.ML.Tokenizers' BertTokenizer
/// differs on tabs, emoji, symbols such as "½" and, under invariant globalization, on every accent.
/// </summary>
internal sealed class BertUncasedTokenizer
{
    private const int MaxWordCharacters = 100;

    private readonly Dictionary<string, int> _vocabulary;

    /// <param name="vocabulary">vocab.txt (UTF-8): one word piece a line, the line number its id.</param>
    public BertUncasedTokenizer(byte[] vocabulary)
    {
        _vocabulary = new Dictionary<string, int>(32_000, StringComparer.Ordinal);
        using var reader = new StreamReader(new MemoryStream(vocabulary, writable: false), Encoding.UTF8);
        var id = 0;
        while (reader.ReadLine() is { } line)
            _vocabulary.TryAdd(line, id++);
        Unknown = Id("[UNK]");
        Classifier = Id("[CLS]");
        Separator = Id("[SEP]");
    }

    public int Unknown { get; }

    public int Classifier { get; }

    public int Separator { get; }

    /// <summary>The word-piece ids of <paramref name="text"/>, without special tokens.</summary>
    public List<int> Encode(string text)
    {
        var ids = new List<int>();
        var word = new StringBuilder();
        foreach (var rune in Normalize(text).EnumerateRunes())
        {
            if (rune.Value == ' ')
            {
                AddWord(word, ids);
            }
            else if (IsPunctuation(rune))
            {
                AddWord(word, ids);
                word.Append(rune.ToString());
                AddWord(word, ids);
            }
            else
            {
                word.Append(rune.ToString());
            }
        }
        AddWord(word, ids);
        return ids;
    }

    /// <summary>Cleaning, CJK spacing, accent stripping and lower case, in the order of tokenizers' BertNormalizer.</summary>
    private static string Normalize(string text)
    {
        var normalized = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            var value = rune.Value;
            if (value == 0 || value == 0xFFFD || IsControl(rune))
                continue;
            if (IsWhiteSpace(rune))
            {
                normalized.Append(' ');
            }
            else if (IsCjk(value))
            {
                normalized.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                AccentFolding.Append(normalized, rune);
            }
        }
        var lowered = new StringBuilder(normalized.Length);
        foreach (var rune in normalized.ToString().EnumerateRunes())
            lowered.Append(Rune.ToLowerInvariant(rune).ToString());
        return lowered.ToString();
    }

    private void AddWord(StringBuilder word, List<int> ids)
    {
        if (word.Length == 0)
            return;
        var text = word.ToString();
        word.Clear();
        var runes = text.EnumerateRunes().Count();
        if (runes > MaxWordCharacters)
        {
            ids.Add(Unknown);
            return;
        }
        var first = ids.Count;
        var start = 0;
        while (start < text.Length)
        {
            var end = text.Length;
            var found = -1;
            while (end > start)
            {
                var piece = start == 0 ? text[start..end] : "##" + text[start..end];
                if (_vocabulary.TryGetValue(piece, out found))
                    break;
                end--;
                if (end > start && char.IsLowSurrogate(text[end]))
                    end--; // never cut a character in two
                found = -1;
            }
            if (found < 0)
            {
                ids.RemoveRange(first, ids.Count - first);
                ids.Add(Unknown);
                return;
            }
            ids.Add(found);
            start = end;
        }
    }

    private int Id(string token) =>
        _vocabulary.TryGetValue(token, out var id) ? id : throw new InvalidDataException($"the vocabulary has no {token} token");

    /// <summary>Tab, line feed and carriage return are white space; other Cc, and Cf, Cn, Co characters are removed.</summary>
    private static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
            return false;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse;
    }

    private static bool IsWhiteSpace(Rune rune) => rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.IsWhiteSpace(rune);

    /// <summary>ASCII symbols count as punctuation (as in BERT), and every Unicode punctuation category.</summary>
    private static bool IsPunctuation(Rune rune)
    {
        var value = rune.Value;
        if (value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126)
            return true;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK Unified Ideographs blocks and their extensions and compatibility blocks, as BERT lists them.</summary>
    private static bool IsCjk(int value) =>
        value is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
