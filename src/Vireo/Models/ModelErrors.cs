using Vireo.Errors;

namespace Vireo.Models;

/// <summary>Base of every error about a model: it always names the folder or file at fault.</summary>
public class ModelException(string path, string message, Exception? inner = null, ErrorKind kind = ErrorKind.Input)
    : VireoException(kind, $"{path}: {message}", path, message, inner)
{
    /// <summary>The model folder or file the error is about.</summary>
    public string ModelPath { get; } = path;
}

/// <summary>A folder that matches no supported model layout, or lacks files the layout needs.</summary>
public sealed class ModelFolderException(string folder, string problem, IReadOnlyList<string> found, string expected)
    : ModelException(folder, $"{problem}. Found: {(found.Count == 0 ? "(nothing)" : string.Join(", ", found))}. Expected: {expected}")
{
    /// <summary>The files found in the folder (relative paths).</summary>
    public IReadOnlyList<string> Found { get; } = found;
}

/// <summary>A model file that cannot be read (permission denied) or used: corrupt, truncated, or with the wrong inputs and outputs.</summary>
public sealed class ModelFileException(string file, string message, Exception? inner = null)
    : ModelException(file, message, inner);

/// <summary>A library was built with one model and is being used with another.</summary>
public sealed class ModelMismatchException(string libraryPath, string libraryModel, string requestedModel)
    : ModelException(libraryPath, $"this library was indexed with model '{libraryModel}', not '{requestedModel}'; use that model or index into a new library", kind: ErrorKind.Conflict);

/// <summary>No model is available under the given name (or none is registered at all).</summary>
public sealed class ModelNotFoundException(string what, string message)
    : ModelException(what, message, kind: ErrorKind.Dependency);
