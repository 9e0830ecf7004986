using Vireo.Errors;
using Vireo.Library;
using Vireo.Models;
using Vireo.Retrieval;
using Vireo.Shards;

namespace Vireo.Cluster;

/// <summary>
/// The libraries a silo owns, each an ordinary Vireo library on the silo's disk, opened for search with the silo's
/// model. A shard is named "silo/folder name", unique in the cluster as long as silo names are.
/// </summary>
public sealed class SiloShards : IDisposable
{
    private readonly Dictionary<string, LocalSearchShard> _shards = new(StringComparer.Ordinal);
    private readonly List<LibraryReader> _readers = [];

    /// <exception cref="LibraryException">A folder is not a library, or it was indexed with another model.</exception>
    public SiloShards(string silo, IReadOnlyList<string> libraries, EmbeddingModel model, SearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(libraries);
        foreach (var directory in libraries)
        {
            var reader = new LibraryReader(VideoLibrary.Open(directory, create: false), model);
            _readers.Add(reader);
            var name = $"{silo}/{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)))}";
            if (!_shards.TryAdd(name, new LocalSearchShard(reader, options ?? new SearchOptions())))
                throw new UsageException($"two shards of silo {silo} are named {name}: give the library folders different names");
        }
    }

    public string[] Names => [.. _shards.Keys.Order(StringComparer.Ordinal)];

    /// <exception cref="ShardUnavailableException">This silo has no such shard.</exception>
    public ISearchShard Get(string name) =>
        _shards.TryGetValue(name, out var shard) ? shard : throw new ShardUnavailableException(name, "this silo does not hold it");

    /// <summary>The reader of a shard (its library and model), for the silo's other services.</summary>
    /// <exception cref="ShardUnavailableException">This silo has no such shard.</exception>
    public LibraryReader Reader(string name) =>
        _shards.TryGetValue(name, out var shard) ? shard.Reader : throw new ShardUnavailableException(name, "this silo does not hold it");

    public void Dispose()
    {
        foreach (var reader in _readers)
            reader.Dispose();
    }
}
