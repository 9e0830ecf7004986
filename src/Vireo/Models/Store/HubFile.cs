namespace Vireo.Models.Store;

/// <summary>
/// One file of a Hugging Face repository as the hub's tree API lists it: its size and checksum. Files stored
/// in Git LFS carry their SHA-256; small files carry their git blob id (SHA-1 of "blob {size}\0" + content).
/// </summary>
public sealed record HubFile(string Path, long Size, string? Sha256, string? GitBlobSha1);

/// <summary>Progress of a model download.</summary>
/// <param name="File">The file being fetched.</param>
/// <param name="FileBytes">Bytes of that file on disk so far.</param>
/// <param name="FileSize">Its full size.</param>
/// <param name="TotalBytes">Bytes of all files on disk so far.</param>
/// <param name="TotalSize">Size of all files.</param>
public readonly record struct DownloadProgress(string File, long FileBytes, long FileSize, long TotalBytes, long TotalSize);

/// <summary>A download failed: the hub could not be reached, a file was refused, or a checksum did not match.</summary>
public sealed class ModelDownloadException(string what, string message, Exception? inner = null)
    : ModelException(what, message, inner, Errors.ErrorKind.Dependency);
