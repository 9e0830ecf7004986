using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Vireo.Models;
using Vireo.Retrieval;
using Vireo.Shards;

namespace Vireo.Cluster;

/// <summary>
/// A client of a Vireo cluster: finds the silos in the membership store and their shards, and searches them as one
/// library (<see cref="LibrarySearcher"/> over <see cref="GrainSearchShard"/>s). A silo the membership store lists as
/// gone makes the answer partial, named; it is never a silent gap.
/// </summary>
public sealed class ClusterSearch : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterSearch(IHost host) => _host = host;

    internal IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>
    /// Connects to the cluster. The gateways come from the membership store, which lists a silo killed a moment ago as
    /// active until the cluster declares it dead; a connection that fails on such a gateway is tried again (for up to a
    /// minute) with a new client.
    /// </summary>
    public static async Task<ClusterSearch> ConnectAsync(ClusterConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var host = BuildClient(connection);
            try
            {
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
                return new ClusterSearch(host);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && watch.Elapsed < TimeSpan.FromMinutes(1))
            {
                host.Dispose();
                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static IHost BuildClient(ClusterConnection connection)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            connection.ConfigureClient(client);
            ClusterConnection.AddSerialization(client.Services);
        });
        return builder.Build();
    }

    /// <summary>
    /// Every shard of the cluster (<see cref="ShardSelection"/>): the partitions of the directory, each on its holder, and
    /// the silos' own libraries; a partition whose holder is gone or does not answer within <paramref name="deadline"/>
    /// is an unavailable entry, and so is each silo that is gone or does not answer (a silo killed a moment ago is still
    /// listed as active).
    /// </summary>
    public async Task<IReadOnlyList<ISearchShard>> ShardsAsync(TimeSpan deadline)
    {
        var directory = UntilTheClusterAnswersAsync(() => Client.GetGrain<IPartitionDirectoryGrain>(0).ViewAsync(), deadline);
        var hosts = await UntilTheClusterAnswersAsync(() => Client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false), deadline).ConfigureAwait(false);
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloName).ToHashSet(StringComparer.Ordinal);
        var listings = await Task.WhenAll(active.Select(silo => ListingAsync(silo, deadline))).ConfigureAwait(false);
        var gone = hosts.Where(h => h.Status != SiloStatus.Active).Select(h => h.SiloName);
        return ShardSelection.Select(await directory.ConfigureAwait(false), listings, gone,
            (silo, shard) => new GrainSearchShard(Client.GetGrain<IShardHostGrain>(silo), shard));
    }

    /// <summary>
    /// A call to a cluster-wide grain (the management grain, the partition directory). It may live on a silo killed a
    /// moment ago; its calls then fail until the cluster declares that silo dead (Orleans' failure detection, seconds)
    /// and the grain is placed again, so the call is tried again for up to a minute, whatever the shards' deadline.
    /// </summary>
    private static async Task<T> UntilTheClusterAnswersAsync<T>(Func<Task<T>> call, TimeSpan callDeadline)
    {
        var deadline = TimeSpan.FromMinutes(1);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call().WaitAsync(callDeadline).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException && watch.Elapsed < deadline)
            {
                await Task.Delay(250).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A silo's shards, or none when it does not answer within <paramref name="deadline"/> (a call that fails at once is tried again meanwhile: <see cref="GrainCalls.RetryWindow"/>).</summary>
    private async Task<SiloListing> ListingAsync(string silo, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            var shards = await GrainCalls.CallAsync(silo, _ => Client.GetGrain<IShardHostGrain>(silo).ShardsAsync(), timeout.Token).ConfigureAwait(false);
            return new SiloListing(silo, shards);
        }
        catch (Exception e) when (e is ShardUnavailableException or OperationCanceledException)
        {
            return new SiloListing(silo, null);
        }
    }

    /// <summary>Searches the whole cluster as one library; the answer names the shards that did not answer.</summary>
    public async Task<SearchResult> SearchAsync(string sentence, EmbeddingModel model, SearchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var shards = await ShardsAsync(options.ShardDeadline ?? TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        using var searcher = new LibrarySearcher(shards, model, options);
        return await searcher.SearchAsync(sentence, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
    }
}
