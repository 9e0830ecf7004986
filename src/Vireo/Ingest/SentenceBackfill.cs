using Vireo.Library;
using Vireo.Models.Sentences;

namespace Vireo.Ingest;

/// <summary>
/// Embeds the timed text that has no sentence vector yet (entries of a library made before the semantic stage, or
/// copied with a video's content) in batches, each stored in a transaction of its own: a killed run keeps what it
/// finished and the next one goes on. Lexical search never waits for it.
/// </summary>
internal static class SentenceBackfill
{
    private const int Batch = 512;

    /// <summary>Embeds every entry that lacks a vector; returns how many were embedded.</summary>
    public static int Run(VideoLibrary library, Func<SentenceEncoder> encoder, CancellationToken cancellationToken)
    {
        var done = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entries = library.EntriesWithoutSentenceVectors(Batch);
            if (entries.Count == 0)
                return done;
            var sentences = encoder();
            var texts = new string[entries.Count];
            var ids = new long[entries.Count];
            for (var i = 0; i < entries.Count; i++)
                (ids[i], texts[i]) = entries[i];
            library.StoreSentenceVectors(ids, sentences.Encode(texts, cancellationToken), sentences.Model.Identity);
            done += entries.Count;
        }
    }
}
