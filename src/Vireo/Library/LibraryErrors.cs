using Vireo.Errors;

namespace Vireo.Library;

/// <summary>A library that cannot be used as it is: damaged catalog or embeddings, newer format, wrong folder.</summary>
public sealed class LibraryException(string path, string message, Exception? inner = null)
    : VireoException(ErrorKind.Input, $"{path}: {message}", path, message, inner)
{
    /// <summary>The library folder or file at fault.</summary>
    public string LibraryPath { get; } = path;
}
