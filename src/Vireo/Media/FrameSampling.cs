namespace Vireo.Media;

/// <summary>Which frames to take from a video.</summary>
public abstract record FrameSampling
{
    private protected FrameSampling()
    {
    }

    /// <summary>
    /// <paramref name="framesPerSecond"/> samples per second of video. Sample k is the first frame whose
    /// presentation time falls in [k/R, (k+1)/R); a stretch with no frame (variable frame rate) yields none.
    /// </summary>
    public static RateSampling AtRate(double framesPerSecond) => new(framesPerSecond);

    /// <summary>For each time (seconds), the first frame at or after it; times that land on the same frame give it once.</summary>
    public static TimestampSampling AtTimestamps(IEnumerable<double> seconds) => new(seconds);
}

/// <summary>Samples at a fixed rate; see <see cref="FrameSampling.AtRate"/>.</summary>
public sealed record RateSampling : FrameSampling
{
    public RateSampling(double framesPerSecond)
    {
        if (!(framesPerSecond > 0) || double.IsInfinity(framesPerSecond))
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), framesPerSecond, "the sampling rate must be a positive number of frames per second");
        FramesPerSecond = framesPerSecond;
    }

    public double FramesPerSecond { get; }

    /// <summary>Seconds between samples.</summary>
    public double Interval => 1.0 / FramesPerSecond;
}

/// <summary>Samples at given times; see <see cref="FrameSampling.AtTimestamps"/>.</summary>
public sealed record TimestampSampling : FrameSampling
{
    public TimestampSampling(IEnumerable<double> seconds)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        var sorted = new SortedSet<double>();
        foreach (var t in seconds)
        {
            if (!double.IsFinite(t) || t < 0)
                throw new ArgumentOutOfRangeException(nameof(seconds), t, "timestamps must be finite and not negative");
            sorted.Add(t);
        }
        Timestamps = [.. sorted];
    }

    /// <summary>The requested times, sorted and without duplicates.</summary>
    public IReadOnlyList<double> Timestamps { get; }
}
