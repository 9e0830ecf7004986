using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vireo.Engine;

namespace Vireo.Server.Indexing;

/// <summary>Ties the engine's background ingest to the server's life: stopping the server stops the run (what was committed stays), and a failed run is logged.</summary>
internal sealed partial class BackgroundIngestHost(VireoEngine engine, ILogger<BackgroundIngestHost> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await engine.Background.StopAndWaitAsync(cancellationToken).ConfigureAwait(false);
        if (engine.Background.Failure is { } failure)
            LogFailed(logger, failure);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "indexing failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
