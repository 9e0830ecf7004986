using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vireo.Ingest;

namespace Vireo.Server.Indexing;

/// <summary>Ties the background ingest (one library's, or a cluster's) to the server's life: stopping the server stops the run (what was committed stays), and a failed run is logged.</summary>
internal sealed partial class BackgroundIngestHost(IBackgroundIndexing indexing, ILogger<BackgroundIngestHost> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await indexing.StopAndWaitAsync(cancellationToken).ConfigureAwait(false);
        if (indexing.Failure is { } failure)
            LogFailed(logger, failure);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "indexing failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
