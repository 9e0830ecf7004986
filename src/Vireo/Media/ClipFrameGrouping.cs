using System.Runtime.CompilerServices;
using Vireo.Temporal;

namespace Vireo.Media;

/// <summary>Sampled frames grouped by the clip of a <see cref="ClipGrid"/> they fall into.</summary>
public static class ClipFrameGrouping
{
    /// <summary>
    /// Groups time-ordered frames by clip. Every clip is produced, in order, including clips no frame fell
    /// into (their list is empty). The frames stay owned by the caller.
    /// </summary>
    public static async IAsyncEnumerable<ClipFrames> GroupAsync(
        this ClipGrid grid, IAsyncEnumerable<VideoFrame> frames, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(frames);
        var current = 0;
        var pending = new List<VideoFrame>();
        await foreach (var frame in frames.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var clip = grid.ClipOf(frame.Timestamp);
            while (current < clip)
            {
                yield return new ClipFrames(grid[current], pending);
                pending = [];
                current++;
            }
            pending.Add(frame);
        }
        for (; current < grid.Count; current++)
        {
            yield return new ClipFrames(grid[current], pending);
            pending = [];
        }
    }
}

/// <summary>A clip and the sampled frames that fall inside it.</summary>
public sealed record ClipFrames(Clip Clip, IReadOnlyList<VideoFrame> Frames);
