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

/// <summary>A library was built with one model (or one variant of it) and is being used with another.</summary>
public sealed class ModelMismatchException : ModelException
{
    public ModelMismatchException(string libraryPath, string libraryModel, string requestedModel)
        : base(libraryPath, $"this library was indexed with model '{libraryModel}', not '{requestedModel}'; use that model or index into a new library", kind: ErrorKind.Conflict)
    {
    }

    private ModelMismatchException(string libraryPath, string message, ModelVariant libraryVariant, ModelVariant requestedVariant)
        : base(libraryPath, message, kind: ErrorKind.Conflict)
    {
        LibraryVariant = libraryVariant;
        RequestedVariant = requestedVariant;
    }

    /// <summary>When the models differ only by variant: the library's.</summary>
    public ModelVariant? LibraryVariant { get; }

    /// <summary>When the models differ only by variant: the one asked for.</summary>
    public ModelVariant? RequestedVariant { get; }

    /// <summary>The error for <paramref name="requested"/> meeting a library built with <paramref name="library"/>; it names both variants when they differ.</summary>
    public static ModelMismatchException Between(string libraryPath, ModelIdentity library, ModelIdentity requested)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(requested);
        if (library.Variant is not { } built || requested.Variant is not { } asked || built == asked)
            return new ModelMismatchException(libraryPath, library.ToString(), requested.ToString());
        var sameModel = library.Name == requested.Name;
        return new ModelMismatchException(libraryPath,
            $"this library was indexed with the {built.Describe()} variant of model '{library.Name}' ({library.Dimension}-d, fingerprint {library.Fingerprint}), " +
            $"not the {asked.Describe()} variant{(sameModel ? "" : $" of '{requested.Name}'")} (fingerprint {requested.Fingerprint}). " +
            "The variants' embeddings are close but not the same, and a library never mixes them: " +
            $"use --variant {built.OptionValue()} with this library, or index into a new library for the {asked.OptionValue()} variant",
            built, asked);
    }
}

/// <summary>No model is available under the given name (or none is registered at all).</summary>
public sealed class ModelNotFoundException(string what, string message)
    : ModelException(what, message, kind: ErrorKind.Dependency);
