using Vireo.Library;

namespace Vireo.Ingest;

/// <summary>A folder that could not be listed, and why (its videos were not found).</summary>
public sealed record UnreadableFolder(string Path, string Error);

/// <summary>The video files found under some paths, by resolved path, and the folders that could not be read.</summary>
public sealed record FoundVideos(IReadOnlyCollection<string> Files, IReadOnlyList<UnreadableFolder> Unreadable);

/// <summary>
/// Finds video files under files and folders, recursively: files named explicitly are always taken, files in folders
/// by their extension. Paths are resolved (symbolic links followed, in the file name and in every folder above it), so
/// a file reached two ways is found once; each folder is visited once (links can make cycles).
/// </summary>
public static class VideoFiles
{
    /// <exception cref="FileNotFoundException">An input is neither a file nor a folder.</exception>
    public static FoundVideos Find(IEnumerable<string> inputs, IReadOnlySet<string> extensions, string? skipFolder = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var walk = new Walk(skipFolder, extensions);
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input);
            if (File.Exists(full))
                walk.Files.Add(RealPaths.Of(full));
            else if (Directory.Exists(full))
                walk.Folder(RealPaths.Of(full));
            else
                throw new FileNotFoundException($"{input}: no such file or folder", input);
        }
        return new FoundVideos(walk.Files, walk.Unreadable);
    }

    private sealed class Walk(string? skipFolder, IReadOnlySet<string> extensions)
    {
        private static readonly EnumerationOptions Entries = new()
        {
            RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        };

        private readonly HashSet<string> _visited = new(StringComparer.Ordinal);

        public SortedSet<string> Files { get; } = new(StringComparer.Ordinal);

        public List<UnreadableFolder> Unreadable { get; } = [];

        /// <summary>Walks <paramref name="folder"/> (a resolved path).</summary>
        public void Folder(string folder)
        {
            if (folder == skipFolder || !_visited.Add(folder))
                return;
            List<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(folder).EnumerateFileSystemInfos("*", Entries).ToList();
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                var reason = e is UnauthorizedAccessException ? "permission denied: this user may not read the folder" : "the folder cannot be read: " + e.Message;
                Unreadable.Add(new UnreadableFolder(folder, $"{folder}: {reason}; its videos were not indexed"));
                return;
            }
            foreach (var entry in entries)
            {
                var isFolder = entry is DirectoryInfo;
                if (!isFolder && !extensions.Contains(Path.GetExtension(entry.Name)))
                    continue;
                string resolved;
                try
                {
                    resolved = entry.LinkTarget is null ? entry.FullName : RealPaths.Of(entry.FullName);
                }
                catch (IOException)
                {
                    continue; // a link cycle
                }
                if (isFolder || Directory.Exists(resolved))
                    Folder(resolved);
                else if (File.Exists(resolved))
                    Files.Add(resolved);
            }
        }
    }
}
