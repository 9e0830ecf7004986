using Vireo.Library;

namespace Vireo.Ingest;

/// <summary>What an indexing run does with one file.</summary>
internal enum ScanAction
{
    /// <summary>Indexed and unchanged since: nothing to do.</summary>
    Skip,

    /// <summary>Same content, new modification time: record the new time.</summary>
    Touch,

    /// <summary>A copy or a rename of an indexed video: reuse its embeddings.</summary>
    Reuse,

    /// <summary>New, changed, or failed last time: decode and encode.</summary>
    Encode,

    /// <summary>Cannot even be read (a file or a folder this user may not read): reported with <see cref="ScanItem.Error"/>.</summary>
    Fail,
}

/// <summary>One file (or unreadable folder) found by the scanner and what to do with it.</summary>
internal sealed record ScanItem(string Path, long Size, long ModifiedTicks, ScanAction Action, string? ContentHash, LibraryVideo? Existing, LibraryVideo? Source, string? Error = null)
{
    /// <summary>True for an unreadable folder (it has no catalog row of its own).</summary>
    public bool IsFolder { get; init; }
}

/// <summary>
/// Finds the video files under the given paths (recursively) and compares them with the catalog. Files are known by
/// their resolved path (symbolic links followed, in the file name and in every folder above it), so a file reached
/// two ways is one entry. An indexed file with unchanged size and modification time is skipped without reading it;
/// otherwise a quick content hash tells a touched file, a changed one and a copy or rename of an indexed video apart.
/// A file that failed before is always tried again: its cause (FFmpeg, permissions) may have been fixed. Folders and
/// files this user may not read are reported, not skipped in silence.
/// </summary>
internal static class LibraryScanner
{
    public static List<ScanItem> Scan(VideoLibrary library, IEnumerable<string> inputs, IReadOnlySet<string> extensions)
    {
        var found = VideoFiles.Find(inputs, extensions, RealPaths.Of(library.Directory));
        var known = library.ListVideos().ToDictionary(v => v.Path, StringComparer.Ordinal);
        var items = new List<ScanItem>(found.Files.Count + found.Unreadable.Count);
        items.AddRange(found.Unreadable.Select(u => new ScanItem(u.Path, 0, 0, ScanAction.Fail, null, null, null, u.Error) { IsFolder = true }));
        foreach (var path in found.Files)
            items.Add(Compare(library, path, known.GetValueOrDefault(path)));
        return items;
    }

    private static ScanItem Compare(VideoLibrary library, string path, LibraryVideo? existing)
    {
        var info = new FileInfo(path);
        var ticks = info.LastWriteTimeUtc.Ticks;
        var indexed = existing is { Status: VideoStatus.Indexed };
        if (indexed && existing!.Size == info.Length && existing.ModifiedTicks == ticks)
            return new ScanItem(path, info.Length, ticks, ScanAction.Skip, existing.ContentHash, existing, null);
        string hash;
        try
        {
            hash = ContentHash.Compute(path);
        }
        catch (UnauthorizedAccessException)
        {
            return new ScanItem(path, info.Length, ticks, ScanAction.Fail, null, existing, null, $"{path}: permission denied: this user may not read the file");
        }
        catch (IOException)
        {
            return new ScanItem(path, info.Length, ticks, ScanAction.Encode, null, existing, null);
        }
        if (indexed && existing!.ContentHash == hash)
            return new ScanItem(path, info.Length, ticks, ScanAction.Touch, hash, existing, null);
        if (library.FindIndexedByHash(hash) is { } source && source.Path != path)
            return new ScanItem(path, info.Length, ticks, ScanAction.Reuse, hash, existing, source);
        return new ScanItem(path, info.Length, ticks, ScanAction.Encode, hash, existing, null);
    }

    /// <summary>
    /// Catalog entries to prune: their files are gone (<see cref="IsGone"/>), or they were stored under a symbolic link
    /// (by a Vireo that did not resolve links) and the file's resolved path has an entry of its own.
    /// </summary>
    public static List<LibraryVideo> Missing(VideoLibrary library)
    {
        var videos = library.ListVideos();
        var paths = videos.Select(v => v.Path).ToHashSet(StringComparer.Ordinal);
        return videos.Where(v => IsGone(v.Path) || (ResolvedElsewhere(v.Path) is { } real && paths.Contains(real))).ToList();
    }

    /// <summary>
    /// True only when the file is known to be gone: the nearest folder on its path that exists can be listed and lacks
    /// the next step. A file behind a folder this user may not read is not gone — it is only out of sight, and pruning
    /// it would lose its embeddings.
    /// </summary>
    internal static bool IsGone(string path)
    {
        if (File.Exists(path))
            return false;
        var child = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(child);
        while (parent is not null && !Directory.Exists(parent))
            (child, parent) = (parent, Path.GetDirectoryName(parent));
        if (parent is null)
            return true;
        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(parent))
            {
                if (string.Equals(entry, child, StringComparison.Ordinal))
                    return false; // there, but not reachable from here (a folder on the way cannot be searched)
            }
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static string? ResolvedElsewhere(string path)
    {
        try
        {
            var real = RealPaths.Of(path);
            return real == path ? null : real;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
