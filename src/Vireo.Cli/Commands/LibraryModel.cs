using System.CommandLine;
using Vireo.Library;
using Vireo.Models;

namespace Vireo.Cli.Commands;

/// <summary>
/// The model to query a library with: the one given with --model (which must be the library's), else the
/// library's own: found in the model store by the name it was indexed under, or in the folder it was loaded from.
/// </summary>
internal static class LibraryModel
{
    public static EmbeddingModel Load(VideoLibrary library, ModelOptions options, ParseResult result)
    {
        var settings = library.Settings ?? throw new LibraryException(library.Directory, "the library is empty: index videos into it first ('vireo index PATH')");
        EmbeddingModel model;
        if (result.GetValue(options.Model) is not null)
        {
            model = options.Load(result);
        }
        else
        {
            var encoder = new EncoderOptions { Variant = result.GetValue(options.Variant), IntraOpThreads = result.GetValue(options.Threads) };
            var store = options.Store(result);
            if (store.Find(settings.Model.Name) is not null)
                model = store.Load(settings.Model.Name, encoder);
            else if (settings.ModelFolder is { Length: > 0 } folder && Directory.Exists(folder))
                model = EmbeddingModel.Load(folder, encoder, settings.Model.Name);
            else
                throw new ModelNotFoundException(settings.Model.Name,
                    $"this library was indexed with model '{settings.Model.Name}', which is neither in the model store nor at {settings.ModelFolder}; pass it with --model DIR");
        }
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
}
