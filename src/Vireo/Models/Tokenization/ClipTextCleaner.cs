namespace Vireo.Models.Tokenization;

/// <summary>
/// CLIP's text cleaning: HTML-unescape twice, Unicode NFC, whitespace runs to one space, strip, lowercase,
/// each with the semantics of Python's standard library (which the reference tokenizer runs on).
/// </summary>
public static class ClipTextCleaner
{
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unescaped = HtmlUnescaper.Unescape(HtmlUnescaper.Unescape(text));
        return PythonText.Lower(PythonText.CollapseWhitespace(UnicodeNfc.Normalize(unescaped)));
    }
}
