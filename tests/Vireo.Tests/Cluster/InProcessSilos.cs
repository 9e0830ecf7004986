using Microsoft.Extensions.Hosting;

namespace Vireo.Tests.Cluster;

/// <summary>Silos a test started in its own process.</summary>
internal static class InProcessSilos
{
    /// <summary>Stops and disposes them in reverse order: the primary silo (localhost clustering keeps the membership table there) stops last.</summary>
    public static async Task StopAllAsync(IEnumerable<IHost> silos)
    {
        foreach (var silo in silos.Reverse())
        {
            await silo.StopAsync(CancellationToken.None);
            silo.Dispose();
        }
    }
}
