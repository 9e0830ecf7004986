using System.CommandLine;
using Vireo.Cli.Commands;
using Vireo.Cli.Terminal;

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
}
