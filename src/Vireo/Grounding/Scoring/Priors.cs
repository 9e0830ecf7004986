using Vireo.Temporal;
using Vireo.Grounding.Signals;

namespace Vireo.Grounding.Scoring;

/// <summary>
/// A log-normal preference for span lengths: adds −Weight · ln(length / Preferred)² / (2 · LogWidth²). With
/// <see cref="RelativeToDuration"/> (default) length and <see cref="Preferred"/> are fractions of the video's
/// duration, else seconds. E.g. QVHighlights moments are about 0.16 of their 150-s videos, Charades-STA's about 0.3.
/// </summary>
public sealed record LengthPrior
{
    public LengthPrior(double preferred, double logWidth = 1.0, double weight = 1.0, bool relativeToDuration = true)
    {
        Preferred = PriorArguments.Positive(preferred, nameof(preferred));
        LogWidth = PriorArguments.Positive(logWidth, nameof(logWidth));
        Weight = PriorArguments.NonNegative(weight, nameof(weight));
        RelativeToDuration = relativeToDuration;
    }

    public double Preferred { get; }

    /// <summary>Standard deviation of ln(length).</summary>
    public double LogWidth { get; }

    public double Weight { get; }

    public bool RelativeToDuration { get; }

    public double LogDensity(SimilarityProfile profile, ClipSpan span)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var seconds = profile.Weight(span) * profile.Grid.ClipLength;
        var length = RelativeToDuration ? seconds / profile.Grid.Duration : seconds;
        var z = Math.Log(length / Preferred) / LogWidth;
        return -Weight * z * z / 2;
    }
}

/// <summary>
/// A Gaussian preference for where a span's centre lies, as a fraction of the duration: adds
/// −Weight · (centre / duration − Center)² / (2 · Width²).
/// </summary>
public sealed record PositionPrior
{
    public PositionPrior(double center = 0.5, double width = 0.25, double weight = 1.0)
    {
        Center = double.IsFinite(center) ? center : throw new ArgumentOutOfRangeException(nameof(center), center, "the centre must be finite");
        Width = PriorArguments.Positive(width, nameof(width));
        Weight = PriorArguments.NonNegative(weight, nameof(weight));
    }

    public double Center { get; }

    public double Width { get; }

    public double Weight { get; }

    public double LogDensity(SimilarityProfile profile, ClipSpan span)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var grid = profile.Grid;
        var centre = (grid[span.Start].Start + grid[span.End - 1].End) / 2 / grid.Duration;
        var z = (centre - Center) / Width;
        return -Weight * z * z / 2;
    }
}

internal static class PriorArguments
{
    public static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, "must be positive and finite");

    public static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, "must be non-negative and finite");
}
