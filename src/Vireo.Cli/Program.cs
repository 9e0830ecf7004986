using Vireo.Cli;
using Vireo.Cli.Terminal;

return await VireoCli.InvokeAsync(args, CliConsole.System()).ConfigureAwait(false);
