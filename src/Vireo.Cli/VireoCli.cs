using System.CommandLine;
using Vireo.Cli.Commands;
using Vireo.Research.Datasets;
using Vireo.Media;
using Vireo.Models;

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

    /// <summary>Runs a command body and turns failures into a message and an exit code.</summary>
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
        catch (MediaException e)
        {
            Report(console, json, "input_error", e.Message, e.MediaPath);
            return ExitCodes.InputError;
        }
        catch (Exception e) when (e is ModelNotFoundException or Vireo.Models.Hub.ModelDownloadException)
        {
            Report(console, json, "missing_dependency", e.Message, (e as ModelException)?.ModelPath);
            return ExitCodes.Environment;
        }
        catch (ModelException e)
        {
            Report(console, json, "input_error", e.Message, e.ModelPath);
            return ExitCodes.InputError;
        }
        catch (FFmpegNotFoundException e)
        {
            Report(console, json, "missing_dependency", e.Message, null);
            return ExitCodes.Environment;
        }
        catch (Vireo.Library.LibraryException e)
        {
            Report(console, json, "input_error", e.Message, e.LibraryPath);
            return ExitCodes.InputError;
        }
        catch (DatasetFormatException e)
        {
            Report(console, json, "input_error", e.Message, e.FilePath);
            return ExitCodes.InputError;
        }
        catch (Exception e) when (e is Vireo.Models.Tokenization.TokenizerFormatException or Vireo.Models.Preprocessing.PreprocessingConfigException
                                  or InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
        {
            // Malformed tokenizer, preprocessing or feature files, and missing input files: the message names the file.
            Report(console, json, "input_error", e.Message, (e as FileNotFoundException)?.FileName);
            return ExitCodes.InputError;
        }
        catch (CliInputException e)
        {
            Report(console, json, "input_error", e.Message, e.InputPath);
            return ExitCodes.InputError;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var detail = Environment.GetEnvironmentVariable("VIREO_DEBUG") is null ? e.Message : e.ToString();
            Report(console, json, "internal_error", $"unexpected error: {detail}", null);
            return ExitCodes.Internal;
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

/// <summary>A bad input the command itself detected (e.g. an output path that is a file).</summary>
public sealed class CliInputException(string message, string? inputPath = null) : Exception(message)
{
    public string? InputPath { get; } = inputPath;
}
