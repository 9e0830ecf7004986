using Vireo.Errors;
using Vireo.Models;
using Vireo.Models.Store;

namespace Vireo.Grounding.Trained;

/// <summary>
/// The trained grounders on this machine: one folder each under <c>grounders/</c> of the model store
/// (<see cref="ModelStore.DefaultDirectory"/>), each described by its own <see cref="GrounderManifest"/>.
/// </summary>
public sealed class GrounderStore(string? modelsDirectory = null)
{
    public string Directory { get; } = Path.Combine(Path.GetFullPath(modelsDirectory ?? ModelStore.DefaultDirectory), "grounders");

    /// <summary>Every imported grounder's manifest, by name.</summary>
    public IReadOnlyList<GrounderManifest> List()
    {
        if (!System.IO.Directory.Exists(Directory))
            return [];
        var manifests = new List<GrounderManifest>();
        foreach (var folder in System.IO.Directory.EnumerateDirectories(Directory).Order(StringComparer.Ordinal))
        {
            var manifest = Path.Combine(folder, GrounderManifest.FileName);
            if (Path.GetFileName(folder).StartsWith('.') || !File.Exists(manifest))
                continue;   // an import in progress or abandoned, or not a grounder
            try
            {
                manifests.Add(GrounderManifest.Read(manifest) with { Name = Path.GetFileName(folder) });
            }
            catch (ModelFileException)
            {
                // A damaged folder is reported when it is opened, not by every listing.
            }
        }
        return manifests;
    }

    /// <summary>The folder of a grounder: an imported one's name, or the path of a grounder folder.</summary>
    /// <exception cref="ModelNotFoundException">Neither.</exception>
    public string Resolve(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(nameOrPath);
        if (IsValidName(nameOrPath) && File.Exists(Path.Combine(Directory, nameOrPath, GrounderManifest.FileName)))
            return Path.Combine(Directory, nameOrPath);
        if (File.Exists(Path.Combine(nameOrPath, GrounderManifest.FileName)))
            return Path.GetFullPath(nameOrPath);
        var known = List().Select(m => m.Name).DefaultIfEmpty("none");
        throw new ModelNotFoundException(nameOrPath,
            $"no imported grounder has this name and no grounder folder has this path (imported: {string.Join(", ", known)}); import a checkpoint with 'vireo models import CHECKPOINT.ckpt'");
    }

    /// <summary>Opens the grounder <paramref name="nameOrPath"/> refers to.</summary>
    public TrainedGrounder Open(string nameOrPath, int intraOpThreads = 0) => TrainedGrounder.Open(Resolve(nameOrPath), intraOpThreads);

    /// <summary>Deletes an imported grounder; false when there is none of that name.</summary>
    public bool Remove(string name)
    {
        if (!IsValidName(name))
            return false;
        var folder = Path.Combine(Directory, name);
        if (!File.Exists(Path.Combine(folder, GrounderManifest.FileName)))
            return false;
        System.IO.Directory.Delete(folder, recursive: true);
        return true;
    }

    /// <summary>Deletes the staging folders of imports that were killed (an import's own is created after this runs).</summary>
    internal void RemoveAbandonedImports()
    {
        foreach (var folder in System.IO.Directory.EnumerateDirectories(Directory, ".*.importing-*"))
        {
            if (System.IO.Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddHours(-1))
                System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    internal string FolderFor(string name)
    {
        if (!IsValidName(name))
            throw new UsageException($"'{name}' is not a valid grounder name (it becomes a folder name)");
        return Path.Combine(Directory, name);
    }

    private static bool IsValidName(string name) =>
        !string.IsNullOrWhiteSpace(name) && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && name is not "." and not "..";
}
