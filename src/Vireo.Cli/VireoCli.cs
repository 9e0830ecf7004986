using System.CommandLine;
using Vireo.Cli.Commands;
using Vireo.Errors;

namespace Vireo.Cli;

/// <summary>The <c>vireo</c> command line: builds the command tree and runs it.</summary>
public static class VireoCli
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
        root.Subcommands.Add(FramesCommand.Create(console));
        root.Subcommands.Add(ModelsCommand.Create(console));
        root.Subcommands.Add(EmbedCommand.Create(console));
        root.Subcommands.Add(IndexCommand.Create(console));
        root.Subcommands.Add(SearchCommand.Create(console));
        root.Subcommands.Add(GroundCommand.Create(console));
        root.Subcommands.Add(FindClipCommand.Create(console));
        root.Subcommands.Add(ServeCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(EvalCommand.Create(console));
        root.Subcommands.Add(BaselineCommand.Create(console));
        root.Subcommands.Add(TokenizeCommand.Create(console));
        return root;
    }

    public static Task<int> InvokeAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var parsed = Build(console).Parse(args);
        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
        };
        return parsed.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>The --json option every command shares.</summary>
    internal static Option<bool> JsonOption() => new("--json") { Description = "Write the result as JSON on standard output." };

    /// <summary>Runs a command body and turns failures into a message and an exit code (<see cref="ExitCodes.For"/>).</summary>
    internal static async Task<int> GuardAsync(CliConsole console, bool json, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Report(console, json, "cancelled", "interrupted", null);
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var kind = ErrorKinds.Of(e);
            var message = kind != ErrorKind.Internal ? e.Message
                : "unexpected error: " + (Environment.GetEnvironmentVariable("VIREO_DEBUG") is null ? e.Message : e.ToString());
            Report(console, json, ExitCodes.Name(kind), message, ErrorKinds.SubjectOf(e));
            return ExitCodes.For(kind);
        }
    }

    private static void Report(CliConsole console, bool json, string kind, string message, string? path)
    {
        if (json)
            CliJson.Write(console.Error, new CliError(kind, message, path));
        else
            console.Error.WriteLine($"error: {message}");
    }

    private sealed record CliError(string Error, string Message, string? Path);
}

/// <summary>A bad input the command itself detected (e.g. an output path that is a file); the message names it.</summary>
public sealed class CliInputException(string message, string? inputPath = null) : VireoException(ErrorKind.Input, message, inputPath);
