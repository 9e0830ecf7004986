using Vireo.Cli;

return await VireoCli.InvokeAsync(args, CliConsole.System()).ConfigureAwait(false);
