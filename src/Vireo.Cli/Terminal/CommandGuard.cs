using System.CommandLine;
using Vireo.Errors;

namespace Vireo.Cli.Terminal;

/// <summary>What every command shares: the --json option, and running a body with its failures turned into a message and an exit code.</summary>
internal static class CommandGuard
{
    /// <summary>The --json option every command shares.</summary>
    internal static Option<bool> JsonOption() => new("--json") { Description = "Write the result as JSON on standard output." };

    /// <summary>The invocation's cancellation (Ctrl+C), set by <see cref="VireoCli.InvokeAsync"/> for the command it runs.</summary>
    private static readonly AsyncLocal<CancellationToken> Interruption = new();

    internal static CancellationToken InvocationToken
    {
        get => Interruption.Value;
        set => Interruption.Value = value;
    }

    /// <summary>
    /// Runs a command body and turns failures into a message and an exit code (<see cref="ExitCodes.For"/>). A body that
    /// fails once the run is interrupted (a killed FFmpeg, a cancelled wait) was interrupted, whatever it threw.
    /// </summary>
    internal static async Task<int> RunAsync(CliConsole console, bool json, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException || e is not OutOfMemoryException && InvocationToken.IsCancellationRequested)
        {
            return ReportInterrupted(console, json);
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

    /// <summary>A usage error found while parsing (a bad value, an unknown option, a missing argument): one line, or the JSON error.</summary>
    internal static int ReportUsage(CliConsole console, bool json, string message)
    {
        Report(console, json, ExitCodes.Name(ErrorKind.Usage), message, null);
        return ExitCodes.Usage;
    }

    /// <summary>An interrupted run (Ctrl+C): "interrupted" on standard error, exit code 130.</summary>
    internal static int ReportInterrupted(CliConsole console, bool json)
    {
        if (json)
            CliJson.Write(console.Error, new CliError("cancelled", "interrupted", null));
        else
            console.Error.WriteLine("interrupted");
        return ExitCodes.Cancelled;
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
