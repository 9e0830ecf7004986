namespace Vireo.Library;

/// <summary>
/// Real paths: a file named through symbolic links (in any component) is one file. Ingest identifies videos by their
/// real path; the server serves only files whose real path lies inside a root.
/// </summary>
public static class RealPaths
{
    private const int MaxLinks = 40;

    /// <summary>The absolute path with every symbolic link (in any component) replaced by its target, like realpath(3).</summary>
    /// <exception cref="IOException">Too many links (a loop).</exception>
    public static string Of(string path)
    {
        var links = 0;
        return Path.TrimEndingDirectorySeparator(Resolve(Path.GetFullPath(path), ref links));
    }

    private static string Resolve(string fullPath, ref int links)
    {
        var root = Path.GetPathRoot(fullPath) ?? "";
        var current = root;
        foreach (var part in fullPath[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo entry = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (entry.LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                    throw new IOException($"{fullPath}: too many symbolic links");
                next = Resolve(Path.GetFullPath(target, current), ref links);
            }
            current = next;
        }
        return current.Length == 0 ? fullPath : current;
    }
}
