using System.Text.Json;
using Vireo.Models.Tokenization;
using Vireo.Tests.Support;

namespace Vireo.Tests.Models;

/// <summary>
/// Text the shared vectors do not reach: HTML5 references (legacy names, invalid numbers), NFC (combining
/// marks, Hangul jamo, composition exclusions), Python's whitespace and lowercasing (final sigma, dotted I),
/// letters and digits outside the Basic Multilingual Plane, emoji sequences, special tokens inside text.
/// The expected ids come from an independent Python implementation of OpenAI's tokenizer (the `regex` module
/// and Python's own html/unicodedata/str), which reproduces all 400 shared vectors.
/// </summary>
public sealed class ClipTokenizerEdgeCaseTests
{
    private const string Expected = """
{"text": "&amp;amp; &lt;b&gt; &eacute;t&eacute &notit; &notin; &ampx &#x1F600; &#128512 &#0; &#128; &#150; &#x110000; &#xD800; &#1;x &#127; &#xFFFE; &#13; &#; &#x; & &;", "ids": [261, 283, 321, 285, 3459, 39694, 126, 361, 585, 282, 17788, 487, 261, 343, 7334, 7334, 39802, 6309, 1224, 39802, 39802, 343, 5, 2, 282, 5, 258, 343, 282, 261, 5, 282]}
{"text": "fish &amp chips &AMP; &copy2024 &Eacute;COLE &zwnj;x &NotNestedGreaterGreater;", "ids": [2759, 261, 8855, 261, 5811, 273, 271, 273, 275, 3459, 8166, 728, 490, 343, 158, 103, 95, 136, 372]}
{"text": "e\u0301te\u0301 cafe\u0301 \u1100\u1161\u11a8 a\u0323\u0302 \u212b \u0958 \u1e9b\u0323 A\u030a\u0327", "ids": [3459, 39694, 15304, 21122, 479, 157, 118, 511, 127, 354, 22067, 3124, 376, 157, 118, 505, 136, 352, 127, 354, 136, 356]}
{"text": "a\u001cb\u001dc\u001e\u001fd \u3000e\u2003f\u200bg\u00a0h\u0085i \t\n\r\u000b\fj", "ids": [320, 321, 322, 323, 324, 325, 9844, 326, 327, 328, 329]}
{"text": "\u0130stanbul \u03a3\u0391\u03a3 \u039f\u0394\u039f\u03a3. \u03a3 A\u03a3'\u0391 \u1e9e \u212a \ud801\udc00", "ids": [328, 16384, 11231, 139, 225, 138, 109, 139, 480, 138, 123, 138, 112, 138, 123, 139, 480, 269, 139, 481, 64, 139, 481, 262, 138, 365, 127, 509, 330, 172, 238, 238, 357]}
{"text": "a\ud835\udc00b \ud840\udc00\ud840\udc01x \ud835\udfcf\ud835\udfd0 \ud83d\udc4b\ud83c\udffd\u200d\ud83d\udc69 \ud83c\uddeb\ud83c\uddf7", "ids": [64, 15889, 222, 321, 172, 254, 222, 222, 172, 254, 222, 223, 343, 6874, 253, 493, 6874, 253, 494, 19351, 8514, 4244, 964, 358, 16223]}
{"text": "she''s here!<|endoftext|> x<|startoftext|>y '' 're 'RE 'Ll's't", "ids": [1043, 8445, 338, 763, 0, 27, 347, 40786, 4160, 91, 285, 343, 49406, 344, 8445, 982, 982, 1342, 568, 713]}
{"text": "\u0661\u0662\u0663 \u00bd \u2167 \u2460 \u0e51 42nd", "ids": [149, 350, 149, 351, 149, 352, 33613, 158, 227, 371, 158, 239, 510, 4484, 495, 275, 273, 1764]}
{"text": "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd \u0928\u092e\u0938\u094d\u0924\u0947 \uc548\ub155\ud558\uc138\uc694 \u3053\u3093\u306b\u3061\u306f", "ids": [12986, 10948, 25722, 16378, 22625, 147, 102, 147, 250, 147, 243, 147, 507, 3124, 101, 48254, 28505, 19389, 27263, 25130, 16071, 230, 167, 227, 243, 33992, 15074, 116, 18541, 498, 4813, 241, 3909, 241, 4813, 104, 4813, 94, 4813, 363]}
""";

    public static TheoryData<int> Cases() => new(Enumerable.Range(0, Expected.Split('\n').Length));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Encodes_like_the_python_reference(int index)
    {
        using var row = JsonDocument.Parse(Expected.Split('\n')[index]);
        var text = row.RootElement.GetProperty("text").GetString()!;
        var expected = row.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(expected, ClipTestVocabulary.Tokenizer.EncodeBpe(text));
    }

    [Theory]
    [InlineData("&amp;amp; &lt;b&gt; &eacute;t&eacute &notit; &ampx &#x1F600; &#128512 &#0; &#128; &#150; &#x110000; &#xD800; &#1;x &#127; &#xFFFE; &#; &#x; & &;",
        "& <b> \u00e9t\u00e9 \u00acit; &x \U0001F600 \U0001F600 \uFFFD \u20AC \u2013 \uFFFD \uFFFD x &#; &#x; & &;")]
    [InlineData("e\u0301te\u0301 \u1100\u1161\u11a8 a\u0323\u0302 a\u0302\u0323 \u212b \u0958 A\u030a\u0327",
        "\u00e9t\u00e9 \uac01 \u1ead \u1ead \u00e5 \u0915\u093c \u00e5\u0327")]
    [InlineData("a\u001cb\u001dc\u001e\u001fd \u3000e\u2003f\u200bg\u00a0h\u0085i \t\n\r\u000b\fj", "a b c d e f\u200bg h i j")]
    [InlineData("\u0130stanbul \u03a3\u0391\u03a3 \u039f\u0394\u039f\u03a3. \u03a3 A\u03a3'\u0391 \u1e9e \u212a \U00010400",
        "i\u0307stanbul \u03c3\u03b1\u03c2 \u03bf\u03b4\u03bf\u03c2. \u03c3 a\u03c3'\u03b1 \u00df k \U00010428")]
    [InlineData("  \u3000 lots   of\u2029space\u2028  ", "lots of space")]
    public void Cleans_like_python(string input, string expected) => Assert.Equal(expected, ClipTextCleaner.Clean(input));

    [Fact]
    public void Splits_by_code_point_like_pythons_regex_module()
    {
        var text = "a\U0001D400b \U00020000x \U0001D7CF\U0001D7D0 \U0001F44B\U0001F3FD!<|endoftext|> she''s 're";
        var pieces = new List<(int Start, int Length)>();
        ClipPreTokenizer.Split(text, pieces);
        Assert.Equal(["a\U0001D400b", "\U00020000x", "\U0001D7CF", "\U0001D7D0", "\U0001F44B\U0001F3FD!<|", "endoftext", "|>", "she", "''", "s", "'re"],
            pieces.Select(p => text.Substring(p.Start, p.Length)));
    }
}
