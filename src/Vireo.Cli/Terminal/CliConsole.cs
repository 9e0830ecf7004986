using Spectre.Console;

namespace Vireo.Cli.Terminal;

/// <summary>
/// Where a command writes: results to <see cref="Out"/>, messages and progress to <see cref="Error"/>.
/// Tests pass string writers; the real program passes the process's streams. Both are wrapped in a
/// <see cref="VisibleControlWriter"/>: control characters in names and messages are shown, never sent to the terminal.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, bool interactive)
    {
        Out = new VisibleControlWriter(output);
        Error = new VisibleControlWriter(error);
        Interactive = interactive;
        ErrorConsole = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(error),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        });
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    /// <summary>True when a person watches standard error: progress bars are drawn only then.</summary>
    public bool Interactive { get; }

    /// <summary>
    /// Spectre console over the raw standard error (progress bars: it sends its own escape sequences); text from
    /// outside (file names) goes into it through <see cref="VisibleControlWriter.Visible"/>.
    /// </summary>
    public IAnsiConsole ErrorConsole { get; }

    /// <summary>Text for a Spectre progress description: control characters and new lines shown, markup escaped.</summary>
    public static string ProgressText(string text) => Markup.Escape(VisibleControlWriter.Visible(text, keepNewLines: false));

    public static CliConsole System() =>
        new(Console.Out, Console.Error, !Console.IsErrorRedirected && global::System.Environment.GetEnvironmentVariable("CI") is null);
}
