using Vireo.Models;

namespace Vireo.Library;

/// <summary>
/// A library opened for queries with its model: the model is checked once, and the coarse stage (the videos' mean
/// and event vectors, reloaded when the library's generation moves) and the sentence vectors of the timed text are
/// shared by every search and re-localization that reads through it. Thread-safe.
/// </summary>
public sealed class LibraryReader : IDisposable
{
    /// <exception cref="ModelMismatchException">The library was indexed with another model.</exception>
    public LibraryReader(VideoLibrary library, EmbeddingModel model)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(model);
        library.RequireModel(model.Identity);
        Library = library;
        Model = model;
        Coarse = new CoarseStageCache(library);
        Sentences = new SentenceSearch(library);
    }

    public VideoLibrary Library { get; }

    public EmbeddingModel Model { get; }

    internal CoarseStageCache Coarse { get; }

    /// <summary>The semantic half of text search (sentence vectors and the query encoder).</summary>
    internal SentenceSearch Sentences { get; }

    public void Dispose()
    {
        Coarse.Dispose();
        Sentences.Dispose();
    }
}
