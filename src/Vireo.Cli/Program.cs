using System.Runtime.InteropServices;
using Vireo.Cli;
using Vireo.Cli.Terminal;

// Ctrl+C and SIGTERM cancel the run; the command line reports "interrupted" and exits 130.
using var interruption = new CancellationTokenSource();
void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    interruption.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
return await VireoCli.InvokeAsync(args, CliConsole.System(), interruption.Token).ConfigureAwait(false);
