using System.CommandLine;
using System.CommandLine.Parsing;
using Vireo.Cli.Commands;
using Vireo.Cli.Terminal;

namespace Vireo.Cli;

/// <summary>The <c>vireo</c> command line: builds the command tree and runs it.</summary>
public static partial class VireoCli
{
    /// <summary>The command's name, whatever the executable is called (apphost Vireo.Cli, the dotnet tool vireo).</summary>
    public const string CommandName = "vireo";

    public static Command Build(CliConsole console)
    {
        var root = new Command(CommandName,
            "Vireo finds things inside video: rank videos for a sentence, and find the moments where it happens.\n\n" +
            ExitCodes.Help)
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(ProbeCommand.Create(console));
        root.Subcommands.Add(TranscriptCommand.Create(console));
        root.Subcommands.Add(FramesCommand.Create(console));
        root.Subcommands.Add(ModelsCommand.Create(console));
        root.Subcommands.Add(EmbedCommand.Create(console));
        root.Subcommands.Add(IndexCommand.Create(console));
        root.Subcommands.Add(SearchCommand.Create(console));
        root.Subcommands.Add(GroundCommand.Create(console));
        root.Subcommands.Add(FindClipCommand.Create(console));
        root.Subcommands.Add(ServeCommand.Create(console));
        root.Subcommands.Add(ClusterCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(EvalCommand.Create(console));
        root.Subcommands.Add(BaselineCommand.Create(console));
        root.Subcommands.Add(TokenizeCommand.Create(console));
        root.Subcommands.Add(FeaturesCommand.Create(console));
        return root;
    }

    /// <summary>How long an interrupted command may take to stop before "interrupted" is reported without it.</summary>
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs the command line. <paramref name="cancellationToken"/> is the interruption (the program cancels it on Ctrl+C
    /// or SIGTERM): an interrupted run reports "interrupted" on standard error and exits 130, whether the command
    /// stops by itself or is still busy <see cref="InterruptGrace"/> later.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var parsed = Build(console).Parse(args);
        if (parsed.Errors.Count > 0 && args.Length > 0)
            return CommandGuard.ReportUsage(console, WantsJson(parsed), UsageMessage(parsed));
        if (cancellationToken.IsCancellationRequested)
            return CommandGuard.ReportInterrupted(console, WantsJson(parsed));
        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null, // the caller owns the signals (Program) and passes them as the token
        };
        CommandGuard.InvocationToken = cancellationToken;
        var run = parsed.InvokeAsync(configuration, cancellationToken);
        var interrupted = Task.Delay(Timeout.Infinite, cancellationToken);
        if (await Task.WhenAny(run, interrupted).ConfigureAwait(false) != run
            && await Task.WhenAny(run, Task.Delay(InterruptGrace, CancellationToken.None)).ConfigureAwait(false) != run)
            return CommandGuard.ReportInterrupted(console, WantsJson(parsed));
        try
        {
            return await run.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return CommandGuard.ReportInterrupted(console, WantsJson(parsed));
        }
    }

    /// <summary>--json was on the command line (read from the tokens: the option itself may not have been reached by a failed parse).</summary>
    private static bool WantsJson(ParseResult parsed) =>
        parsed.Tokens.Any(t => t.Type == TokenType.Option && t.Value == "--json");

    /// <summary>The parse errors on one line, with where to read the usage.</summary>
    private static string UsageMessage(ParseResult parsed)
    {
        var errors = string.Join("; ", parsed.Errors.Select(e => Readable(e.Message).TrimEnd('.')).Distinct(StringComparer.Ordinal));
        var names = new List<string>();
        for (var command = parsed.CommandResult; command is not null; command = command.Parent as CommandResult)
            names.Insert(0, command.Parent is null ? CommandName : command.Command.Name);
        return $"{errors} (see '{string.Join(' ', names)} --help')";
    }

    /// <summary>System.CommandLine's conversion error, said without .NET type names.</summary>
    private static string Readable(string message)
    {
        var match = ConversionError().Match(message);
        if (!match.Success)
            return message;
        var what = match.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" => "a whole number",
            "System.Double" or "System.Single" or "System.Nullable`1[System.Double]" => "a number",
            var other => "a value of type " + other,
        };
        return $"{match.Groups["option"].Value}: '{match.Groups["value"].Value}' is not {what}";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex ConversionError();
}
