using Orleans.Runtime;
using Vireo.Shards;

namespace Vireo.Cluster;

/// <summary>
/// A call to a grain on behalf of a shard: the caller's cancellation is passed on to the grain, and a call that fails
/// because the silo is gone, unreachable or too slow is a <see cref="ShardUnavailableException"/>; an error the shard
/// itself reports is passed on as it is (a Vireo error as the silo raised it: <see cref="SiloErrorException"/>).
/// </summary>
internal static class GrainCalls
{
    /// <summary>
    /// How long a call that fails at once is tried again (the caller's deadline still applies): a client also reaches
    /// live silos through the gateway of a silo killed a moment ago, and such a call fails on the broken connection before
    /// Orleans stops using that gateway; the silo it was for is not down.
    /// </summary>
    internal static readonly TimeSpan RetryWindow = TimeSpan.FromSeconds(5);

    public static async Task<T> CallAsync<T>(string shard, Func<GrainCancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var source = new GrainCancellationTokenSource();
            await using var link = cancellationToken.Register(() => _ = source.Cancel());
            try
            {
                return await call(source.Token).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SiloErrorException e)
            {
                throw e.ToVireo();
            }
            catch (OrleansException) when (watch.Elapsed < RetryWindow && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException) // silo gone, unreachable, rejected the call, or placement found no silo
            {
                throw new ShardUnavailableException(shard, e.Message, e);
            }
        }
    }
}
