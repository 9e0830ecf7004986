using Vireo.Errors;

namespace Vireo.Library;

/// <summary>A library that cannot be used as it is: damaged catalog or embeddings, newer format, wrong folder.</summary>
public sealed class LibraryException(string path, string message, Exception? inner = null)
    : VireoException(ErrorKind.Input, $"{path}: {message}", path, message, inner)
{
    /// <summary>The library folder or file at fault.</summary>
    public string LibraryPath { get; } = path;
}

/// <summary>Another writer (an indexing run, here or in another process) holds the library's lock.</summary>
public sealed class LibraryBusyException(string directory, string holder)
    : VireoException(ErrorKind.Conflict, $"{directory}: the library is being written by {holder}; try again when it has finished", directory,
        $"the library is being written by another indexing run ({holder}); try again when it has finished")
{
    /// <summary>Who holds the lock, as it wrote itself into the lock file ("process N on HOST since ..."), when known.</summary>
    public string Holder { get; } = holder;
}
