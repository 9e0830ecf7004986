using Vireo.Library;

namespace Vireo.Ingest;

/// <summary>What an indexing run does with one file.</summary>
internal enum ScanAction
{
    /// <summary>Unchanged since it was indexed (or since it failed): nothing to do.</summary>
    Skip,

    /// <summary>Same content, new modification time: record the new time.</summary>
    Touch,

    /// <summary>A copy or a rename of an indexed video: reuse its embeddings.</summary>
    Reuse,

    /// <summary>New or changed: decode and encode.</summary>
    Encode,
}

/// <summary>One file found by the scanner and what to do with it.</summary>
internal sealed record ScanItem(string Path, long Size, long ModifiedTicks, ScanAction Action, string? ContentHash, LibraryVideo? Existing, LibraryVideo? Source);

/// <summary>
/// Finds the video files under the given paths (recursively) and compares them with the catalog: an unchanged
/// size and modification time skips a file without reading it; otherwise a quick content hash tells a touched
/// file, a changed one and a copy or rename of an indexed video apart.
/// </summary>
internal static class LibraryScanner
{
    public static List<ScanItem> Scan(VideoLibrary library, IEnumerable<string> inputs, IReadOnlySet<string> extensions)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var full = Path.GetFullPath(input);
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System };
                foreach (var file in Directory.EnumerateFiles(full, "*", options))
                {
                    if (extensions.Contains(Path.GetExtension(file)) && !file.StartsWith(library.Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                        files.Add(file);
                }
            }
            else
            {
                throw new FileNotFoundException($"{input}: no such file or folder", input);
            }
        }

        var known = library.ListVideos().ToDictionary(v => v.Path, StringComparer.Ordinal);
        var items = new List<ScanItem>(files.Count);
        foreach (var path in files)
        {
            var info = new FileInfo(path);
            var ticks = info.LastWriteTimeUtc.Ticks;
            known.TryGetValue(path, out var existing);
            if (existing is not null && existing.Size == info.Length && existing.ModifiedTicks == ticks)
            {
                items.Add(new ScanItem(path, info.Length, ticks, ScanAction.Skip, existing.ContentHash, existing, null));
                continue;
            }
            string hash;
            try
            {
                hash = ContentHash.Compute(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                items.Add(new ScanItem(path, info.Length, ticks, ScanAction.Encode, null, existing, null));
                continue;
            }
            if (existing is not null && existing.ContentHash == hash)
                items.Add(new ScanItem(path, info.Length, ticks, ScanAction.Touch, hash, existing, null));
            else if (library.FindIndexedByHash(hash) is { } source && source.Path != path)
                items.Add(new ScanItem(path, info.Length, ticks, ScanAction.Reuse, hash, existing, source));
            else
                items.Add(new ScanItem(path, info.Length, ticks, ScanAction.Encode, hash, existing, null));
        }
        return items;
    }

    /// <summary>Catalog entries whose files no longer exist.</summary>
    public static List<LibraryVideo> Missing(VideoLibrary library) =>
        library.ListVideos().Where(v => !File.Exists(v.Path)).ToList();
}
