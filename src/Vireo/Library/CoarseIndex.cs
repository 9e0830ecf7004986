using System.Globalization;
using Vireo.Index;

namespace Vireo.Library;

/// <summary>
/// The approximate vector index over a large library's coarse vectors (video means and event prototypes),
/// kept beside the catalog in <c>coarse.vix</c> and brought up to date incrementally after indexing. Small
/// libraries have none: scanning every coarse vector is as fast as an index below <see cref="Threshold"/> vectors.
/// The catalog records the generation the file reflects; videos stored after it are searched exactly until the
/// next update, so a searcher never misses a committed video.
/// </summary>
public static class CoarseIndex
{
    public const string FileName = "coarse.vix";

    /// <summary>The catalog setting that holds the generation the index file reflects.</summary>
    public const string GenerationKey = "coarse_index_generation";

    /// <summary>Coarse vectors from which an index pays off (measured: docs/architecture.md, "Index").</summary>
    public const int Threshold = 50_000;

    private const int PositionBits = 20;

    /// <summary>The index id of a coarse vector: the video id, then 0 for its mean vector or 1 + the event position.</summary>
    public static long Id(long videoId, VectorKind kind, int position) =>
        (videoId << PositionBits) | (kind == VectorKind.Video ? 0L : position + 1L);

    public static long VideoOf(long id) => id >> PositionBits;

    public static string PathOf(VideoLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        return Path.Combine(library.Directory, FileName);
    }

    /// <summary>The generation the index file reflects, or null when there is no usable index.</summary>
    public static long? BuiltGeneration(VideoLibrary library) =>
        File.Exists(PathOf(library)) && long.TryParse(library.ReadSetting(GenerationKey), NumberStyles.Integer, CultureInfo.InvariantCulture, out var generation)
            ? generation
            : null;

    /// <summary>
    /// Brings the index file up to date with the catalog: creates it once the library has <paramref name="threshold"/>
    /// coarse vectors, then removes the vectors of videos removed or re-indexed since and adds those stored since.
    /// The file is replaced atomically. Returns true when an index exists afterwards.
    /// </summary>
    public static async Task<bool> UpdateAsync(VideoLibrary library, int threshold = Threshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(library);
        if (library.Settings is not { } settings)
            return false;
        var generation = library.Generation;
        var built = BuiltGeneration(library);
        if (built == generation)
            return true;
        var path = PathOf(library);
        AdaptiveIndex index;
        CoarseVectorTable added;
        if (built is not { } since)
        {
            if (library.CoarseVectorCount() < threshold)
                return false;
            added = library.ReadCoarseVectors();
            index = new AdaptiveIndex(settings.Model.Dimension);
        }
        else
        {
            index = await AdaptiveIndex.LoadAsync(path, expectedDimension: settings.Model.Dimension, cancellationToken: cancellationToken).ConfigureAwait(false);
            var generations = library.IndexedGenerations();
            index.RemoveWhere(id => !generations.TryGetValue(VideoOf(id), out var stored) || stored > since);
            added = library.ReadCoarseVectors(sinceGeneration: since);
        }
        if (added.Count > 0)
            index.Add(Ids(added), added.Vectors.AsSpan());
        await index.SaveAsync(path, cancellationToken).ConfigureAwait(false);
        library.WriteSetting(GenerationKey, generation.ToString(CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>The index ids of a table's rows (rows of a video are contiguous, events in position order).</summary>
    public static long[] Ids(CoarseVectorTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var ids = new long[table.Count];
        var position = 0;
        for (var row = 0; row < table.Count; row++)
        {
            if (row > 0 && table.VideoIds[row] != table.VideoIds[row - 1])
                position = 0;
            ids[row] = Id(table.VideoIds[row], table.Kinds[row], table.Kinds[row] == VectorKind.Event ? position++ : 0);
        }
        return ids;
    }
}
