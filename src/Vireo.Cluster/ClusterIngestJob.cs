using System.Diagnostics;
using System.Globalization;
using Vireo.Ingest;
using Vireo.Library;

namespace Vireo.Cluster;

/// <summary>A video of a cluster ingest, by resolved path, with its content hash and partition.</summary>
internal sealed record ClusterVideo(string Path, string ContentHash, int Partition);

/// <summary>What the client knows of one silo during a cluster ingest.</summary>
internal sealed class SiloProgress(string name)
{
    public string Name => name;

    public int Capacity { get; set; }

    public Guid? Incarnation { get; set; }

    public Dictionary<string, ClusterVideo> InFlight { get; } = new(StringComparer.Ordinal);

    /// <summary>Since when the silo has not answered (null: it answers).</summary>
    public Stopwatch? DownSince { get; set; }

    public Stopwatch LastTry { get; } = Stopwatch.StartNew();

    public int Indexed { get; set; }
}

/// <summary>
/// The state of a cluster ingest: videos waiting, in flight per silo, and done; what comes back from the silos moves them
/// between these. A silo that is down or restarted (a new incarnation) puts its videos in flight back to waiting.
/// </summary>
internal sealed class IngestJob(Guid id, DirectoryView view, Stopwatch watch)
{
    private readonly Dictionary<string, SiloProgress> _silos = new(StringComparer.Ordinal);
    private readonly List<ClusterVideo> _waiting = [];
    private int _added;
    private int _unchanged;
    private int _resent;
    private double _seconds;

    public Guid Id => id;

    public Dictionary<int, string> Holders { get; } = new(view.Holders);

    public List<IngestFailure> Failures { get; } = [];

    public int Total { get; private set; }

    public int Done => _added + _unchanged + Failures.Count;

    public IReadOnlyList<ClusterVideo> Waiting => _waiting;

    public IEnumerable<SiloProgress> Silos => _silos.Values;

    /// <summary>The silos orders were sent to (from before each send: a send cut short may still have arrived).</summary>
    public HashSet<string> Contacted { get; } = new(StringComparer.Ordinal);

    public SiloProgress Silo(string name) => _silos.TryGetValue(name, out var silo) ? silo : _silos[name] = new SiloProgress(name);

    /// <summary>Hashes a file (the client reads 3 MiB of it) and queues it for its partition.</summary>
    public void Add(string path)
    {
        Total++;
        try
        {
            var hash = ContentHash.Compute(path);
            _waiting.Add(new ClusterVideo(path, hash, PartitionPlacement.PartitionOf(hash, view.Partitions)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Failures.Add(new IngestFailure(path, $"{path}: cannot be read here: {e.Message}"));
        }
    }

    public void Sent(SiloProgress silo, Guid incarnation, IReadOnlyList<ClusterVideo> videos)
    {
        Restarted(silo, incarnation);
        foreach (var video in videos)
        {
            _waiting.Remove(video);
            silo.InFlight[video.Path] = video;
        }
    }

    public void Collected(SiloProgress silo, CollectedOutcomes collected)
    {
        Restarted(silo, collected.Incarnation);
        foreach (var outcome in collected.Outcomes)
        {
            if (!silo.InFlight.Remove(outcome.Path, out var video))
                continue; // an order sent twice: its first answer counted
            switch (outcome.Result)
            {
                case IngestResult.Added:
                    (_added, _seconds, silo.Indexed) = (_added + 1, _seconds + outcome.Seconds, silo.Indexed + 1);
                    break;
                case IngestResult.Unchanged:
                    (_unchanged, silo.Indexed) = (_unchanged + 1, silo.Indexed + 1);
                    break;
                case IngestResult.Failed:
                    Failures.Add(new IngestFailure(outcome.Path, outcome.Error ?? $"{outcome.Path}: not indexed"));
                    break;
                default: // moved: ask the directory for the new holder
                    Holders.Remove(video.Partition);
                    _waiting.Add(video);
                    break;
            }
        }
    }

    public void Up(SiloProgress silo, SiloCapacity capacity)
    {
        silo.Capacity = capacity.Videos;
        silo.DownSince = null;
        Restarted(silo, capacity.Incarnation);
    }

    /// <summary>The silo did not answer: its videos in flight wait for it again.</summary>
    public void Down(SiloProgress silo)
    {
        silo.DownSince ??= Stopwatch.StartNew();
        Requeue(silo);
    }

    /// <summary>A silo that restarted lost the orders it had: they are sent again.</summary>
    private void Restarted(SiloProgress silo, Guid incarnation)
    {
        if (silo.Incarnation is { } known && known != incarnation)
            Requeue(silo);
        silo.Incarnation = incarnation;
    }

    private void Requeue(SiloProgress silo)
    {
        _resent += silo.InFlight.Count;
        _waiting.AddRange(silo.InFlight.Values);
        silo.InFlight.Clear();
    }

    /// <summary>Videos waiting for a silo down longer than <paramref name="wait"/> are reported as not indexed.</summary>
    public void GiveUpOnSilosDownLongerThan(TimeSpan wait)
    {
        foreach (var silo in _silos.Values.Where(s => s.DownSince?.Elapsed > wait))
        {
            foreach (var video in _waiting.Where(v => Holders.GetValueOrDefault(v.Partition) == silo.Name).ToList())
            {
                _waiting.Remove(video);
                Failures.Add(new IngestFailure(video.Path, string.Create(CultureInfo.InvariantCulture,
                    $"{video.Path}: silo {silo.Name}, which holds its partition {PartitionPlacement.FolderName(video.Partition, view.Partitions)}, was down for more than {wait.TotalSeconds:0} s (the partition is only on its disk): start it again and run the command again")));
            }
        }
    }

    public ClusterIngestProgress Progress() => new(Done, Total, _silos.Values.Sum(s => s.InFlight.Count),
        [.. _silos.Values.Where(s => s.DownSince is not null && _waiting.Any(v => Holders.GetValueOrDefault(v.Partition) == s.Name)).Select(s => s.Name).Order(StringComparer.Ordinal)],
        _seconds, watch.Elapsed) { Failures = [.. Failures] };

    public ClusterIngestReport Report() => new(_added, _unchanged, Failures, _seconds, watch.Elapsed, _resent,
        _silos.Values.Where(s => s.Indexed > 0).ToDictionary(s => s.Name, s => s.Indexed, StringComparer.Ordinal));
}
