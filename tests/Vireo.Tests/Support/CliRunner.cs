using Vireo.Cli;
using Vireo.Cli.Terminal;

namespace Vireo.Tests.Support;

/// <summary>Runs the vireo command in-process and captures its exit code and output.</summary>
public static class CliRunner
{
    public static Task<(int Code, string Out, string Error)> RunAsync(params string[] args) => RunAsync(Frames.Ct, args);

    /// <summary>Runs with <paramref name="cancellationToken"/> as the interruption (Ctrl+C).</summary>
    public static async Task<(int Code, string Out, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await VireoCli.InvokeAsync(args, new CliConsole(output, error, interactive: false), cancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
