using System.Collections.Concurrent;
using Vireo.Errors;
using Vireo.Grounding.Trained;
using Vireo.Library;
using Vireo.Models;
using Vireo.Retrieval;
using Vireo.Shards;

namespace Vireo.Cluster;

/// <summary>
/// The libraries a silo owns, each an ordinary Vireo library on the silo's disk, opened for search with the silo's
/// model. A shard is named "silo/folder name", unique in the cluster as long as silo names are. Partitions come and go
/// while the silo runs (<see cref="Add"/>, <see cref="Remove"/>). A search or ground that names a trained grounder runs
/// the one of that name in <see cref="Grounders"/> (the silo's model store).
/// </summary>
public sealed class SiloShards : IDisposable
{
    private readonly ConcurrentDictionary<string, LocalSearchShard> _shards = new(StringComparer.Ordinal);
    private readonly string _silo;
    private readonly EmbeddingModel _model;
    private readonly SearchOptions _options;
    private readonly SharedGrounders? _ownedGrounders;

    /// <param name="grounders">The silo's trained grounders (which the caller disposes); null: those of the default model store (disposed with this).</param>
    /// <exception cref="LibraryException">A folder is not a library, or it was indexed with another model.</exception>
    public SiloShards(string silo, IReadOnlyList<string> libraries, EmbeddingModel model, SearchOptions? options = null, SharedGrounders? grounders = null)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        (_silo, _model, _options) = (silo, model, options ?? new SearchOptions());
        _ownedGrounders = grounders is null ? new SharedGrounders(new GrounderStore(), $"silo {silo}") : null;
        Grounders = grounders ?? _ownedGrounders!;
        foreach (var directory in libraries)
        {
            if (!TryAdd(VideoLibrary.Open(directory, create: false), out var name))
                throw new UsageException($"two shards of silo {silo} are named {name}: give the library folders different names");
        }
    }

    /// <summary>The trained grounders searches and grounds may name, opened from the silo's model store.</summary>
    public SharedGrounders Grounders { get; }

    public string[] Names => [.. _shards.Keys.Order(StringComparer.Ordinal)];

    /// <exception cref="ShardUnavailableException">This silo has no such shard.</exception>
    public ISearchShard Get(string name) =>
        _shards.TryGetValue(name, out var shard) ? shard : throw new ShardUnavailableException(name, "this silo does not hold it");

    /// <summary>The reader of a shard (its library and model), for the silo's other services.</summary>
    /// <exception cref="ShardUnavailableException">This silo has no such shard.</exception>
    public LibraryReader Reader(string name) =>
        _shards.TryGetValue(name, out var shard) ? shard.Reader : throw new ShardUnavailableException(name, "this silo does not hold it");

    /// <summary>Serves a library (a partition that arrived or got its first video); false when a shard of that name is served already.</summary>
    /// <exception cref="ModelMismatchException">The library was indexed with another model.</exception>
    public bool Add(VideoLibrary library) => TryAdd(library, out _);

    /// <summary>Stops serving a shard (a partition handed to another silo); searches still on it fail as unavailable.</summary>
    public void Remove(VideoLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        if (_shards.TryRemove(NameOf(library.Directory), out var shard))
            shard.Reader.Dispose();
    }

    private bool TryAdd(VideoLibrary library, out string name)
    {
        name = NameOf(library.Directory);
        if (_shards.ContainsKey(name))
            return false;
        var reader = new LibraryReader(library, _model);
        if (_shards.TryAdd(name, new LocalSearchShard(reader, _options, Grounders)))
            return true;
        reader.Dispose();
        return false;
    }

    private string NameOf(string directory) => $"{_silo}/{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)))}";

    public void Dispose()
    {
        foreach (var shard in _shards.Values)
            shard.Reader.Dispose();
        _ownedGrounders?.Dispose();
    }
}
