namespace Vireo.Library;

/// <summary>Whether a video's embeddings are in the library.</summary>
public enum VideoStatus
{
    /// <summary>Decoded and encoded; its clip embeddings are stored.</summary>
    Indexed,

    /// <summary>It could not be indexed (damaged, unsupported...); <see cref="LibraryVideo.Error"/> says why.</summary>
    Failed,
}

/// <summary>One video of the catalog.</summary>
/// <param name="Id">The catalog's id for the video.</param>
/// <param name="Path">Full path of the file.</param>
/// <param name="Size">File size in bytes when indexed.</param>
/// <param name="ModifiedTicks">Last write time (UTC ticks) when indexed.</param>
/// <param name="ContentHash">Quick content hash (see <see cref="ContentHash"/>).</param>
/// <param name="Duration">Duration in seconds.</param>
/// <param name="ClipCount">Number of clips stored.</param>
/// <param name="ClipLength">Clip length in seconds.</param>
/// <param name="Status">Indexed or failed.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="IndexedAt">When the row was written.</param>
public sealed record LibraryVideo(
    long Id, string Path, long Size, long ModifiedTicks, string ContentHash, double Duration,
    int ClipCount, double ClipLength, VideoStatus Status, string? Error, DateTimeOffset IndexedAt)
{
    /// <summary>
    /// Stretches of the file (seconds) where decoding hit damage: a concealed error inside, or everything after the
    /// point where a truncated file stopped decoding (the clips stop there). Empty for a sound file.
    /// </summary>
    public IReadOnlyList<Vireo.Temporal.TemporalWindow> Damaged { get; init; } = [];

    /// <summary>True when the file is still there with the size and modification time it was indexed with.</summary>
    public bool IsUnchangedOnDisk()
    {
        var file = new FileInfo(Path);
        return file.Exists && file.Length == Size && file.LastWriteTimeUtc.Ticks == ModifiedTicks;
    }
}
