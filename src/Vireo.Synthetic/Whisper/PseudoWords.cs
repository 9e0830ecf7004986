namespace Vireo.Synthetic.Whisper;

/// <summary>
/// Printable stand-ins for Whisper's text tokens: a consonant–vowel syllable or two, most with a leading space as
/// GPT-2 word-start tokens have, so whatever a random model emits reads as words and splits into words. Id 220 is
/// the lone space, as in GPT-2: whisper.cpp looks that token up by its text to suppress blank starts and fails
/// without it.
/// </summary>
internal static class PseudoWords
{
    private const int SpaceToken = 220;

    private const string Consonants = "bdfgklmnprstvz";
    private const string Vowels = "aeiou";

    public static string Token(int id)
    {
        if (id == SpaceToken)
            return " ";
        var syllables = Consonants.Length * Vowels.Length;
        var first = Syllable(id % syllables);
        var rest = id / syllables;
        var text = rest % 3 == 0 ? first : first + Syllable((rest / 3) % syllables);
        return id % 4 == 3 ? text : " " + text;
    }

    private static string Syllable(int index) => $"{Consonants[index / Vowels.Length]}{Vowels[index % Vowels.Length]}";
}
