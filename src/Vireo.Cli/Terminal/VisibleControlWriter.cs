using System.Globalization;
using System.Text;

namespace Vireo.Cli.Terminal;

/// <summary>
/// A writer for text a terminal shows: control characters (C0, DEL and C1, except new line and tab) are written as
/// <c>\xHH</c> instead of being sent, so a file name such as <c>ESC ] 0 ; … BEL</c> or <c>ESC [ 2 J</c> cannot
/// retitle, clear or otherwise drive the user's terminal. JSON needs nothing of it: its writer escapes control
/// characters itself. Spectre's progress display writes to the raw stream (it sends its own escape sequences);
/// text put into it goes through <see cref="Visible"/>.
/// </summary>
public sealed class VisibleControlWriter(TextWriter inner) : TextWriter(inner.FormatProvider)
{
    public override Encoding Encoding => inner.Encoding;

    /// <summary><paramref name="text"/> with its control characters written as <c>\xHH</c> (new lines kept unless <paramref name="keepNewLines"/> is false; tabs kept).</summary>
    public static string Visible(string? text, bool keepNewLines = true)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(c => IsHidden(c, keepNewLines)))
            return text ?? "";
        var visible = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (IsHidden(c, keepNewLines))
                visible.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            else
                visible.Append(c);
        }
        return visible.ToString();
    }

    private static bool IsHidden(char c, bool keepNewLines) =>
        char.IsControl(c) && c != '\t' && !(keepNewLines && (c == '\n' || c == '\r' && Environment.NewLine == "\r\n"));

    public override void Write(char value)
    {
        if (IsHidden(value, keepNewLines: true))
            inner.Write(Visible(value.ToString()));
        else
            inner.Write(value);
    }

    public override void Write(string? value) => inner.Write(Visible(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer) => Write(new string(buffer));

    public override void WriteLine() => inner.WriteLine();

    public override void WriteLine(string? value) => inner.WriteLine(Visible(value));

    public override void WriteLine(ReadOnlySpan<char> buffer) => WriteLine(new string(buffer));

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}
