namespace Vireo.Grounding.Trained;

/// <summary>A run of clips [Start, Start + Count) that one forward pass sees.</summary>
public readonly record struct ClipWindow(int Start, int Count)
{
    public int End => Start + Count;

    /// <summary>How far clip <paramref name="clip"/> (inside the window) is from the nearer window edge, in clips.</summary>
    public int Margin(int clip) => Math.Min(clip - Start, End - 1 - clip);

    /// <summary>
    /// Windows of at most <paramref name="maxClips"/> covering <paramref name="clips"/> clips: one window when the video
    /// fits (exactly what the official code runs), else windows overlapping by a third, the last one ending at the last
    /// clip, so that every moment of up to a third of a window lies whole inside one of them.
    /// </summary>
    public static IReadOnlyList<ClipWindow> Cover(int clips, int maxClips)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clips, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxClips, 1);
        if (clips <= maxClips)
            return [new ClipWindow(0, clips)];
        var stride = Math.Max(1, maxClips * 2 / 3);
        var windows = new List<ClipWindow>();
        for (var start = 0; ; start += stride)
        {
            if (start + maxClips >= clips)
            {
                windows.Add(new ClipWindow(clips - maxClips, maxClips));
                return windows;
            }
            windows.Add(new ClipWindow(start, maxClips));
        }
    }
}
