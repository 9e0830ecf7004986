using Vireo.Errors;
using Vireo.Library;
using Vireo.Models;
using Vireo.Models.Store;

namespace Vireo.Engine;

/// <summary>Which embedding model to load, and from where.</summary>
/// <param name="NameOrFolder">A registered model's name or a model folder; null: the library's own model, else the only registered one.</param>
/// <param name="StoreDirectory">The model store (null: <c>$VIREO_MODELS</c> or the default).</param>
/// <param name="Encoder">Weights variant and ONNX Runtime threads.</param>
public sealed record ModelChoice(string? NameOrFolder = null, string? StoreDirectory = null, EncoderOptions? Encoder = null)
{
    public ModelStore Store() => new(StoreDirectory);

    /// <summary>The model asked for, or the only registered one.</summary>
    public EmbeddingModel Load() => Store().Load(NameOrFolder, Encoder);

    /// <summary>
    /// The model to use <paramref name="library"/> with: the one asked for (which must be the library's), else the
    /// library's own, found in the model store by the name it was indexed under or in the folder it was loaded from.
    /// A library that knows no model yet takes the one asked for, or the only registered one.
    /// </summary>
    /// <exception cref="ModelMismatchException">The model asked for is not the library's.</exception>
    /// <exception cref="ModelNotFoundException">The library's model is neither registered nor where it was loaded from.</exception>
    public EmbeddingModel LoadFor(VideoLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        var settings = library.Settings;
        var choice = WithLibraryVariant(settings);
        var model = NameOrFolder is not null || settings is null ? choice.Load() : choice.LoadLibraryModel(settings);
        try
        {
            library.RequireModel(model.Identity);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// With no variant asked for, the library's model loads in the variant the library was built with (when the model
    /// asked for is the library's own): `--variant quantized` is said once, at indexing.
    /// </summary>
    private ModelChoice WithLibraryVariant(LibrarySettings? settings)
    {
        if (Encoder?.Variant is not null || settings?.Model.Variant is not { } variant)
            return this;
        var libraryModel = NameOrFolder is null || NameOrFolder == settings.Model.Name
            || (settings.ModelFolder is { Length: > 0 } folder && Directory.Exists(NameOrFolder) && Path.GetFullPath(NameOrFolder).TrimEnd(Path.DirectorySeparatorChar) == folder.TrimEnd(Path.DirectorySeparatorChar));
        return libraryModel ? this with { Encoder = (Encoder ?? new EncoderOptions()) with { Variant = variant } } : this;
    }

    private EmbeddingModel LoadLibraryModel(LibrarySettings settings)
    {
        var store = Store();
        if (store.Find(settings.Model.Name) is not null)
            return store.Load(settings.Model.Name, Encoder);
        if (settings.ModelFolder is { Length: > 0 } folder && Directory.Exists(folder))
            return EmbeddingModel.Load(folder, Encoder, settings.Model.Name);
        throw new ModelNotFoundException(settings.Model.Name,
            $"this library was indexed with model '{settings.Model.Name}', which is neither in the model store nor at {settings.ModelFolder}; pass it with --model DIR");
    }
}
