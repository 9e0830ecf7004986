namespace Vireo.Library;

/// <summary>
/// Decides whether a file may be served: only when its real path (every symbolic link on the way resolved) lies
/// inside the real path of one of the library's roots. A catalog entry that is a link leading out of the roots, or
/// that lies under a folder no longer a root, is refused.
/// </summary>
public sealed class RootsGuard(VideoLibrary library)
{
    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>The real path of <paramref name="path"/> when it lies inside a root, else null.</summary>
    public string? Resolve(string path) => Inside(path, library.Roots);

    /// <summary>The real path of <paramref name="path"/> when it lies inside the real path of one of <paramref name="roots"/>, else null.</summary>
    public static string? Inside(string path, IEnumerable<string> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        string real;
        try
        {
            real = RealPath(path);
        }
        catch (IOException)
        {
            return null; // a link loop or an unreadable link
        }
        foreach (var root in roots)
        {
            string realRoot;
            try
            {
                realRoot = RealPath(root);
            }
            catch (IOException)
            {
                continue;
            }
            if (IsInside(real, realRoot))
                return real;
        }
        return null;
    }

    /// <summary>Whether video <paramref name="videoId"/> may be served, and if so its catalog row and the real path of its file.</summary>
    public (ServedFileState State, LibraryVideo? Video, string? RealPath) Locate(long videoId)
    {
        if (library.Find(videoId) is not { } video)
            return (ServedFileState.NoSuchVideo, null, null);
        if (Resolve(video.Path) is not { } real)
            return (ServedFileState.OutsideRoots, video, null);
        return File.Exists(real) ? (ServedFileState.Served, video, real) : (ServedFileState.FileMissing, video, null);
    }

    internal static bool IsInside(string path, string root) =>
        path.Equals(root, PathComparison)
        || path.StartsWith(Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar, PathComparison);

    /// <summary>The real path of <paramref name="path"/> (<see cref="RealPaths.Of"/>).</summary>
    internal static string RealPath(string path) => RealPaths.Of(path);
}

/// <summary>Whether a library video's file may be served (<see cref="RootsGuard.Locate"/>).</summary>
public enum ServedFileState
{
    /// <summary>Its real path lies inside a root and the file is there.</summary>
    Served,

    /// <summary>The library has no video with that id.</summary>
    NoSuchVideo,

    /// <summary>Its real path is not inside a folder the library indexes.</summary>
    OutsideRoots,

    /// <summary>The file is no longer on disk.</summary>
    FileMissing,
}
