using Vireo.Errors;
using Vireo.Library;
using Vireo.Media;
using Vireo.Models;
using Vireo.Relocalization;
using Vireo.Temporal;

namespace Vireo.Cluster;

/// <summary>
/// Find-clip over a whole cluster for a query file the client reads (<c>vireo cluster find-clip</c>): the clip is
/// embedded once, here, with the cluster's model, and matched on every shard by the <see cref="Relocalizer"/>
/// coordinator over <see cref="GrainClipShard"/>s, so the answer equals one library's of the same videos. A shard whose
/// silo is gone or misses the deadline is named in <see cref="RelocalizationResult.MissingShards"/>.
/// </summary>
public static class ClusterFindClip
{
    /// <summary>Where <paramref name="span"/> of <paramref name="queryVideo"/> (all of it when null) occurs in the cluster's videos.</summary>
    /// <exception cref="MediaFileNotFoundException">The query file does not exist.</exception>
    /// <exception cref="ModelMismatchException">A shard was indexed with another model than <paramref name="model"/>.</exception>
    /// <exception cref="ConflictException">The shards were indexed in clips of different lengths.</exception>
    public static async Task<ClusterClipAnswer> FindAsync(ClusterSearch cluster, string queryVideo, TemporalWindow? span, EmbeddingModel model,
        RelocalizationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(queryVideo);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.GetFullPath(queryVideo);
        if (!File.Exists(path))
            throw new MediaFileNotFoundException(queryVideo);
        var deadline = options.ShardDeadline ?? TimeSpan.FromSeconds(30);
        var listed = await cluster.ShardsAsync(deadline).ConfigureAwait(false);
        var live = listed.OfType<GrainSearchShard>().ToList();
        var clipLength = await ClipLengthAsync(cluster, live, model, deadline, cancellationToken).ConfigureAwait(false);
        var shards = listed.Select(s => s is GrainSearchShard on ? (IClipShard)new GrainClipShard(cluster.Client.GetGrain<IClipShardGrain>(on.Silo), on.Name) : new GoneClipShard(s.Name)).ToList();
        using var relocalizer = new Relocalizer(shards, model, clipLength, options with { ShardDeadline = deadline });
        var result = await relocalizer.FindAsync(path, span, cancellationToken).ConfigureAwait(false);
        return new ClusterClipAnswer(result, await DurationsAsync(cluster, live, result.Matches, deadline, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The clip length the shards were indexed with, each checked against <paramref name="model"/>; the default when no
    /// shard that answers has indexed anything (nothing can match then).
    /// </summary>
    private static async Task<double> ClipLengthAsync(ClusterSearch cluster, List<GrainSearchShard> live, EmbeddingModel model, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var settings = await Task.WhenAll(live.Select(async shard =>
        {
            try
            {
                return (shard.Name, Settings: await cluster.Client.GetGrain<IClipShardGrain>(shard.Silo).SettingsAsync(shard.Name).WaitAsync(deadline, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                return (shard.Name, Settings: null); // named as missing by the search's first phase
            }
        })).ConfigureAwait(false);
        var lengths = new SortedSet<double>();
        foreach (var (name, shardSettings) in settings)
        {
            if (shardSettings is null)
                continue;
            if (!shardSettings.Model.IsCompatibleWith(model.Identity))
                throw new ModelMismatchException(name, shardSettings.Model.Name, model.Identity.Name);
            lengths.Add(shardSettings.ClipLength);
        }
        if (lengths.Count > 1)
            throw new ConflictException($"the cluster's shards were indexed in clips of different lengths ({string.Join(", ", lengths)} s): one query cannot be compared with all of them");
        return lengths.Count == 1 ? lengths.Min : ClipGrid.DefaultClipLength;
    }

    /// <summary>The duration of each matched video, asked of its silo (a video whose silo does not answer has none).</summary>
    private static async Task<Dictionary<(string Shard, long VideoId), double>> DurationsAsync(ClusterSearch cluster, List<GrainSearchShard> live, IReadOnlyList<ClipMatch> matches, TimeSpan deadline,
        CancellationToken cancellationToken)
    {
        var silos = live.ToDictionary(s => s.Name, s => s.Silo, StringComparer.Ordinal);
        var videos = matches.Where(m => m.Shard is not null && silos.ContainsKey(m.Shard)).Select(m => (Shard: m.Shard!, m.VideoId)).Distinct().ToList();
        var rows = await Task.WhenAll(videos.Select(async video =>
        {
            try
            {
                return await cluster.Client.GetGrain<IShardVideoGrain>(silos[video.Shard]).VideoAsync(video.Shard, video.VideoId).WaitAsync(deadline, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                return null;
            }
        })).ConfigureAwait(false);
        var durations = new Dictionary<(string, long), double>();
        for (var i = 0; i < videos.Count; i++)
        {
            if (rows[i] is { } row)
                durations[videos[i]] = row.Duration;
        }
        return durations;
    }
}

/// <summary>A cluster's find-clip answer, and the duration of each matched video (by shard and id) as its silo gave it.</summary>
public sealed record ClusterClipAnswer(RelocalizationResult Result, IReadOnlyDictionary<(string Shard, long VideoId), double> Durations)
{
    public double? DurationOf(ClipMatch match) =>
        match is { Shard: { } shard } && Durations.TryGetValue((shard, match.VideoId), out var duration) ? duration : null;
}
