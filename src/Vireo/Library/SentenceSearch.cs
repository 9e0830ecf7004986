using Vireo.Models.Sentences;
using Vireo.TimedText;

namespace Vireo.Library;

/// <summary>
/// The semantic half of text search for a long-lived reader: the library's sentence vectors (reloaded when its
/// generation moves) and the shipped sentence encoder for the query, both loaded on first use. Thread-safe.
/// </summary>
internal sealed class SentenceSearch(VideoLibrary library) : IDisposable
{
    private readonly Lock _gate = new();
    private volatile SentenceVectorTable? _table;
    private SentenceEncoder? _encoder;

    /// <summary>
    /// The entries of <paramref name="channels"/> whose meaning is nearest <paramref name="sentence"/> (cosine ≥
    /// <paramref name="floor"/>, best first, at most <paramref name="limit"/>); none when the library has no vectors.
    /// </summary>
    /// <exception cref="LibraryException">The library's vectors were made by another sentence model.</exception>
    public List<SentenceHit> Nearest(string sentence, IReadOnlyCollection<TextChannel> channels, float floor, int limit)
    {
        var table = Current();
        if (table.Count == 0)
            return [];
        var encoder = Encoder();
        if (library.SentenceModel is { } stored && stored != encoder.Model.Identity)
            throw new LibraryException(library.CatalogPath, $"the timed text of this library was embedded with the sentence model {stored}, not {encoder.Model.Identity}: run vireo index on it again to embed it with this one");
        return table.Nearest(encoder.Encode(sentence), channels, floor, limit);
    }

    private SentenceVectorTable Current()
    {
        var generation = library.Generation;
        if (_table is { } table && table.Generation == generation)
            return table;
        lock (_gate)
        {
            if (_table is not { } loaded || loaded.Generation != generation)
                _table = library.ReadSentenceVectors();
            return _table;
        }
    }

    private SentenceEncoder Encoder()
    {
        lock (_gate)
            return _encoder ??= new SentenceEncoder(SentenceModel.Default, intraOpThreads: 1);
    }

    public void Dispose() => _encoder?.Dispose();
}
