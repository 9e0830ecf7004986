using Spectre.Console;

namespace Vireo.Cli.Terminal;

/// <summary>
/// Where a command writes: results to <see cref="Out"/>, messages and progress to <see cref="Error"/>.
/// Tests pass string writers; the real program passes the process's streams.
/// </summary>
public sealed class CliConsole
{
    public CliConsole(TextWriter output, TextWriter error, bool interactive)
    {
        Out = output;
        Error = error;
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

    /// <summary>Spectre console over standard error (progress bars, tables of messages).</summary>
    public IAnsiConsole ErrorConsole { get; }

    public static CliConsole System() =>
        new(Console.Out, Console.Error, !Console.IsErrorRedirected && global::System.Environment.GetEnvironmentVariable("CI") is null);
}
