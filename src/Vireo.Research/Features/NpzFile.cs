using System.IO.Compression;
using Vireo.Research.Datasets;

namespace Vireo.Research.Features;

/// <summary>
/// NumPy's <c>.npz</c>: a zip archive (stored or deflated) of <c>.npy</c> arrays, one per key. The layouts of public
/// releases: moment_detr / Lighthouse clip features are one .npz per video with key <c>features</c> ([clips, dim]);
/// their CLIP text features have <c>last_hidden_state</c> ([tokens, dim]) and <c>pooler_output</c> ([dim]).
/// </summary>
public static class NpzFile
{
    /// <summary>The key of per-video clip features in moment_detr / Lighthouse files.</summary>
    public const string FeaturesKey = "features";

    /// <summary>Every array of the archive by key (the entry name without <c>.npy</c>).</summary>
    public static async Task<IReadOnlyDictionary<string, FeatureArray>> ReadAllAsync(string path, CancellationToken cancellationToken = default)
    {
        var arrays = new Dictionary<string, FeatureArray>(StringComparer.Ordinal);
        await ForEachEntryAsync(path, (key, array) => arrays[key] = array, null, cancellationToken).ConfigureAwait(false);
        return arrays;
    }

    /// <summary>One array by key; an error lists the keys present when it is missing.</summary>
    public static async Task<FeatureArray> ReadAsync(string path, string key = FeaturesKey, CancellationToken cancellationToken = default)
    {
        FeatureArray? found = null;
        var keys = await ForEachEntryAsync(path, (_, array) => found = array, key, cancellationToken).ConfigureAwait(false);
        return found ?? throw new DatasetFormatException(path, 0, $"no array '{key}' in the archive (keys: {string.Join(", ", keys)})");
    }

    /// <summary>
    /// Writes <paramref name="arrays"/> as an .npz the way <c>numpy.savez</c> does (one uncompressed <c>KEY.npy</c> per
    /// array, float32 unless <paramref name="half"/>). The archive is written beside <paramref name="path"/> under a
    /// temporary name and moved over it when complete: a reader never sees half a file, and an interrupted write
    /// leaves what was there before.
    /// </summary>
    public static async Task WriteAsync(string path, IReadOnlyList<(string Key, FeatureArray Array)> arrays, bool half = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(arrays);
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
                {
                    foreach (var (key, array) in arrays)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        using var npy = new MemoryStream();
                        NpyFile.Write(npy, array, half);
                        var entryStream = zip.CreateEntry(key + ".npy", CompressionLevel.NoCompression).Open();
                        await using (entryStream.ConfigureAwait(false))
                            await entryStream.WriteAsync(npy.GetBuffer().AsMemory(0, (int)npy.Length), cancellationToken).ConfigureAwait(false);
                    }
                }
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    private static async Task<List<string>> ForEachEntryAsync(string path, Action<string, FeatureArray> visit, string? only, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new DatasetFormatException(path, 0, "the file does not exist");
        var keys = new List<string>();
        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
                foreach (var entry in zip.Entries)
                {
                    var key = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                    keys.Add(key);
                    if (only is not null && key != only)
                        continue;
                    using var memory = new MemoryStream((int)entry.Length);
                    var entryStream = entry.Open();
                    await using (entryStream.ConfigureAwait(false))
                        await entryStream.CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
                    visit(key, NpyFile.Read(memory.GetBuffer().AsSpan(0, (int)memory.Length), $"{path}[{key}]"));
                }
            }
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, 0, "not a valid .npz (zip) archive: " + e.Message, e);
        }
        return keys;
    }
}
