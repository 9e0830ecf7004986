using System.Collections.Concurrent;
using Vireo.Errors;
using Vireo.Models;

namespace Vireo.Grounding.Trained;

/// <summary>
/// The trained grounders of one machine's model store, opened by name on first use and kept open: what a cluster's silo
/// runs when a search names a grounder (each silo opens its own copy, so the same name must be imported on every silo).
/// Thread-safe; disposing closes them.
/// </summary>
public sealed class SharedGrounders(GrounderStore store, string machine) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<TrainedGrounder>> _open = new(StringComparer.Ordinal);

    /// <summary>The imported grounder named <paramref name="name"/> (its manifest name, as 'vireo models list' shows it).</summary>
    /// <exception cref="UsageException">The name is a path, not a name.</exception>
    /// <exception cref="ModelNotFoundException">No grounder of that name is imported on this machine (it names the grounder and the machine).</exception>
    /// <exception cref="ModelFileException">The grounder's folder is damaged.</exception>
    public TrainedGrounder Get(string name)
    {
        CheckName(name);
        var opening = _open.GetOrAdd(name, n => new Lazy<TrainedGrounder>(() => Open(n)));
        try
        {
            return opening.Value;
        }
        catch
        {
            _open.TryRemove(KeyValuePair.Create(name, opening)); // imported or repaired later: opened then
            throw;
        }
    }

    /// <summary>Checks that a grounder is named as it crosses machines: by its name, never by a folder of one machine.</summary>
    /// <exception cref="UsageException">The name is empty or a path.</exception>
    public static string CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            throw new UsageException($"'{name}' is not a grounder name: a cluster's silos open a trained grounder by its name (see 'vireo models list'), each from its own model store");
        return name;
    }

    private TrainedGrounder Open(string name)
    {
        if (!File.Exists(Path.Combine(store.Directory, name, GrounderManifest.FileName)))
        {
            var imported = store.List().Select(m => m.Name).DefaultIfEmpty("none");
            throw new ModelNotFoundException(name, $"this trained grounder is not imported on {machine} (imported there: {string.Join(", ", imported)}); " +
                "import its checkpoint under the same name on every silo with 'vireo models import CHECKPOINT.ckpt'");
        }
        return store.Open(name);
    }

    public void Dispose()
    {
        foreach (var opening in _open.Values)
        {
            if (opening.IsValueCreated)
                opening.Value.Dispose();
        }
        _open.Clear();
    }
}
