namespace Vireo.Temporal;

/// <summary>One fixed-length clip of a video: [Start, End) in seconds.</summary>
public readonly record struct Clip(int Index, double Start, double End)
{
    public double Length => End - Start;

    public double Center => (Start + End) / 2;
}

/// <summary>
/// Cuts a video into fixed-length clips (2 s by default, the QVHighlights convention): clip i covers
/// [i*L, min((i+1)*L, duration)); the last, partial clip is kept, so a 30.7 s video has 16 clips.
/// </summary>
public sealed class ClipGrid
{
    /// <summary>The QVHighlights clip length.</summary>
    public const double DefaultClipLength = 2.0;

    // Durations such as 30.000001 s (container rounding) must not create a sliver clip.
    private const double Tolerance = 1e-6;

    public ClipGrid(double duration, double clipLength = DefaultClipLength)
    {
        if (!(duration >= 0) || double.IsInfinity(duration))
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "duration must be a finite, non-negative number of seconds");
        if (!(clipLength > 0) || double.IsInfinity(clipLength))
            throw new ArgumentOutOfRangeException(nameof(clipLength), clipLength, "clip length must be positive");
        Duration = duration;
        ClipLength = clipLength;
        Count = duration <= Tolerance ? 0 : (int)Math.Ceiling(duration / clipLength - Tolerance);
    }

    public double Duration { get; }

    public double ClipLength { get; }

    public int Count { get; }

    public Clip this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new Clip(index, index * ClipLength, Math.Min((index + 1) * ClipLength, Duration));
        }
    }

    /// <summary>The clip that contains <paramref name="seconds"/>; times past the end map to the last clip.</summary>
    public int ClipOf(double seconds)
    {
        if (Count == 0)
            throw new InvalidOperationException("a zero-length video has no clips");
        var index = (int)Math.Floor(seconds / ClipLength + Tolerance);
        return Math.Clamp(index, 0, Count - 1);
    }

    /// <summary>Every clip, in order.</summary>
    public IEnumerable<Clip> Clips()
    {
        for (var i = 0; i < Count; i++)
            yield return this[i];
    }
}
