using Vireo.Answers;
using Vireo.Engine;
using Vireo.Errors;
using Vireo.Library;
using Vireo.Models;
using Vireo.Relocalization;
using Vireo.Retrieval;
using Vireo.Shards;
using Vireo.TimedText;

namespace Vireo.Cluster;

/// <summary>
/// A cluster as one library for a host (<see cref="IShardedLibrary"/>: what <c>vireo serve --cluster</c> serves):
/// searches and find-clip over every shard the membership lists (<see cref="ClusterSearch.ShardsAsync"/>), and each
/// video's data from the silo that holds its shard. <paramref name="model"/> (the shards' model) encodes sentences;
/// a query clip is embedded by the silo that holds its video. <paramref name="deadline"/> bounds each call to a shard
/// (and each search phase when the request sets none).
/// </summary>
public sealed class ClusterLibrary(ClusterSearch cluster, EmbeddingModel model, TimeSpan deadline) : IShardedLibrary
{
    public string ModelName => model.Identity.Name;

    public Task<SearchResult> SearchAsync(string query, SearchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return cluster.SearchAsync(query, model, options with { ShardDeadline = options.ShardDeadline ?? deadline }, cancellationToken);
    }

    public async Task<FoundClip> FindClipAsync(VideoKey video, double? spanStart, double? spanEnd, RelocalizationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (live, gone) = await ShardsAsync().ConfigureAwait(false);
        var (silo, shard) = await LocateAsync(video, live, gone).ConfigureAwait(false);
        var row = await CallAsync(shard, VideoGrain(silo).VideoAsync(shard, video.Id), cancellationToken).ConfigureAwait(false);
        if (row is not { Status: VideoStatus.Indexed })
            throw NoSuchVideo(video);
        var span = Relocalizer.CheckSpan(row.Path, new Temporal.TemporalWindow(spanStart ?? 0, spanEnd ?? row.Duration), row.Duration, row.ClipLength, options.MaxQuerySeconds);
        var shards = live.Select(s => (IClipShard)new GrainClipShard(ClipGrain(s.Silo), s.Name)).Concat(gone.Select(name => new GoneClipShard(name))).ToList();
        using var relocalizer = new Relocalizer(shards, model, row.ClipLength, options with { ShardDeadline = options.ShardDeadline ?? deadline });
        var embedded = await CallAsync(shard, ClipGrain(silo).EmbedAsync(shard, video.Id, span, relocalizer.FineStep(row.ClipLength)), cancellationToken).ConfigureAwait(false)
            ?? throw NoSuchVideo(video);
        var query = ClipQuery.Of(embedded.Path, embedded.Fine.ToSequence(), row.ClipLength);
        return new FoundClip(await relocalizer.FindAsync(query, shard, cancellationToken).ConfigureAwait(false), span);
    }

    public async Task<GroundAnswer> GroundAsync(VideoKey video, string query, int top, string? grounder, CancellationToken cancellationToken)
    {
        var (silo, shard) = await LocateAsync(video).ConfigureAwait(false);
        return await CallAsync(shard, VideoGrain(silo).GroundAsync(shard, video.Id, query, top, grounder), cancellationToken).ConfigureAwait(false) ?? throw NoSuchVideo(video);
    }

    public async Task<ShardedVideoPage> VideosAsync(int offset, int limit, CancellationToken cancellationToken)
    {
        var (live, gone) = await ShardsAsync().ConfigureAwait(false);
        var missing = new List<string>(gone);
        var counts = await Task.WhenAll(live.Select(s => TryCallAsync(s.Name, VideoGrain(s.Silo).VideosAsync(s.Name, 0, 0), missing, cancellationToken))).ConfigureAwait(false);
        var videos = new List<ShardVideo>();
        var total = counts.Sum(c => c?.Total ?? 0);
        var first = 0; // the index of the shard's first row in the whole listing
        for (var i = 0; i < live.Count && videos.Count < limit; i++)
        {
            var count = counts[i]?.Total ?? 0;
            var from = Math.Max(offset + videos.Count - first, 0);
            if (from < count)
            {
                var page = await TryCallAsync(live[i].Name, VideoGrain(live[i].Silo).VideosAsync(live[i].Name, from, limit - videos.Count), missing, cancellationToken).ConfigureAwait(false);
                videos.AddRange((page?.Videos ?? []).Select(v => new ShardVideo(live[i].Name, v)));
            }
            first += count;
        }
        return new ShardedVideoPage(total, videos, missing);
    }

    public async Task<LibraryStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var (live, gone) = await ShardsAsync().ConfigureAwait(false);
        var missing = new List<string>(gone);
        var statuses = (await Task.WhenAll(live.Select(s => TryCallAsync(s.Name, VideoGrain(s.Silo).StatusAsync(s.Name), missing, cancellationToken))).ConfigureAwait(false))
            .Zip(live).Where(p => p.First is not null).Select(p => (Status: p.First!, p.Second.Name)).ToList();
        var idle = LibraryAnswers.View(new Ingest.IngestStatus(Ingest.IngestState.Idle, [], null, null, null, null, null));
        return new LibraryStatus(ModelName, statuses.Sum(s => s.Status.Videos), statuses.Sum(s => s.Status.Indexed), statuses.Sum(s => s.Status.Failed),
            Math.Round(statuses.Sum(s => s.Status.IndexedSeconds), 1), [.. statuses.SelectMany(s => s.Status.Roots.Select(root => $"{s.Name}: {root}"))], idle)
        {
            MissingShards = missing.Count == 0 ? null : missing,
        };
    }

    public async Task<TranscriptAnswer> TranscriptAsync(VideoKey video, IReadOnlyCollection<TextChannel>? channels, CancellationToken cancellationToken)
    {
        var (silo, shard) = await LocateAsync(video).ConfigureAwait(false);
        return await CallAsync(shard, VideoGrain(silo).TranscriptAsync(shard, video.Id, channels is null ? null : [.. channels]), cancellationToken).ConfigureAwait(false)
            ?? throw NoSuchVideo(video);
    }

    public async Task<ServedVideoFile> OpenAsync(VideoKey video, CancellationToken cancellationToken)
    {
        var (silo, shard) = await LocateAsync(video).ConfigureAwait(false);
        var grain = VideoGrain(silo);
        var facts = await CallAsync(shard, grain.FileAsync(shard, video.Id), cancellationToken).ConfigureAwait(false);
        var content = facts.State == ServedFileState.Served
            ? new GrainFileStream((offset, count, ct) => CallAsync(shard, grain.ReadAsync(shard, video.Id, offset, count), ct), facts.Length)
            : null;
        return new ServedVideoFile(facts.State, facts.Name, facts.Length, facts.ContentHash, facts.LastModified, content);
    }

    public async Task<ServedThumbnail> ThumbnailAsync(VideoKey video, double? seconds, int width, CancellationToken cancellationToken)
    {
        var (silo, shard) = await LocateAsync(video).ConfigureAwait(false);
        var thumbnail = await CallAsync(shard, VideoGrain(silo).ThumbnailAsync(shard, video.Id, seconds, width), cancellationToken).ConfigureAwait(false);
        return new ServedThumbnail(thumbnail.State, thumbnail.Jpeg);
    }

    private IShardVideoGrain VideoGrain(string silo) => cluster.Client.GetGrain<IShardVideoGrain>(silo);

    private IClipShardGrain ClipGrain(string silo) => cluster.Client.GetGrain<IClipShardGrain>(silo);

    private sealed record LiveShard(string Silo, string Name);

    /// <summary>The shards that answer, with their silos, in name order, and the names of those that do not.</summary>
    private async Task<(List<LiveShard> Live, List<string> Gone)> ShardsAsync()
    {
        var shards = await cluster.ShardsAsync(deadline).ConfigureAwait(false);
        var live = shards.OfType<GrainSearchShard>().Select(s => new LiveShard(s.Silo, s.Name)).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        return (live, [.. shards.Where(s => s is not GrainSearchShard).Select(s => s.Name)]);
    }

    private async Task<(string Silo, string Shard)> LocateAsync(VideoKey video)
    {
        var (live, gone) = await ShardsAsync().ConfigureAwait(false);
        return await LocateAsync(video, live, gone).ConfigureAwait(false);
    }

    /// <summary>
    /// The live shard a key names. A partition keeps its catalog, ids included, when it is handed to another silo, so a
    /// key of a partition that moved (an answer given before a silo joined or left) is served by the holder the
    /// directory names now.
    /// </summary>
    /// <exception cref="InputException">The key names no shard of the cluster (not found).</exception>
    /// <exception cref="ShardUnavailableException">The key's shard, or the partition's holder now, is gone.</exception>
    private async Task<(string Silo, string Shard)> LocateAsync(VideoKey video, List<LiveShard> live, List<string> gone)
    {
        if (video.Shard is not { } name)
            throw NoSuchVideo(video);
        if (live.Find(s => s.Name == name) is { } shard)
            return (shard.Silo, shard.Name);
        if (await MovedPartitionAsync(name).ConfigureAwait(false) is { } moved)
        {
            if (live.Find(s => s.Name == moved) is { } holder)
                return (holder.Silo, holder.Name);
            if (gone.Contains(moved) || gone.Exists(g => g.StartsWith(moved.Split('/')[0] + "/", StringComparison.Ordinal)))
                throw new ShardUnavailableException(moved, "its holder is gone or did not answer");
        }
        if (gone.Exists(g => g.StartsWith(name.Split('/')[0] + "/", StringComparison.Ordinal)))
            throw new ShardUnavailableException(name, "its silo is gone or did not answer");
        throw NoSuchVideo(video);
    }

    /// <summary>The shard name a partition shard of another silo has now, from the directory; null when the name is no partition's.</summary>
    private async Task<string?> MovedPartitionAsync(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || PartitionPlacement.ParseFolderName(name[(slash + 1)..]) is not { } partition)
            return null;
        DirectoryView view;
        try
        {
            view = await cluster.Client.GetGrain<IPartitionDirectoryGrain>(0).ViewAsync().WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            throw new ShardUnavailableException(name, "the partition directory did not answer");
        }
        var former = name[..slash];
        if (!view.DataSilos.Contains(former, StringComparer.Ordinal) || ShardSelection.NameOf(former, partition, view.Partitions) != name
            || !view.Holders.TryGetValue(partition, out var holder) || holder == former)
            return null;
        return ShardSelection.NameOf(holder, partition, view.Partitions);
    }

    private static InputException NoSuchVideo(VideoKey video) =>
        new(null, video.Shard is null ? $"in a cluster a video id names its shard (as search answers give it), not only {video.Id}" : $"the cluster has no video {video}", ErrorKind.NotFound);

    private async Task<T> CallAsync<T>(string shard, Task<T> call, CancellationToken cancellationToken) =>
        await GrainCalls.CallAsync(shard, _ => call.WaitAsync(deadline, cancellationToken), cancellationToken).ConfigureAwait(false);

    /// <summary>The call's answer, or null (and the shard named in <paramref name="missing"/>) when the shard does not answer.</summary>
    private async Task<T?> TryCallAsync<T>(string shard, Task<T> call, List<string> missing, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await CallAsync(shard, call, cancellationToken).ConfigureAwait(false);
        }
        catch (ShardUnavailableException)
        {
            lock (missing)
                missing.Add(shard);
            return null;
        }
    }
}
