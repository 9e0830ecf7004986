namespace Vireo.Retrieval;

/// <summary>
/// How the visual ranking and the words of the timed text are fused into one ranking of videos and moments:
/// <c>score = Visual · v + Text · t^CoverageExponent</c>, where v is the video's visual score rescaled to [0, 1] over the
/// videos compared (best 1, worst 0) and t the share of the sentence's content words that a matched entry contains
/// (its best entry for a video; the entries overlapping it for a moment). Measured on planted cases (docs/architecture.md,
/// "Timed text: store and search"): a video whose subtitles or slides say the whole sentence ranks first however
/// unlike the sentence its pictures are (Text &gt; Visual), and a video matching only some words does not pass a video
/// that looks like the sentence and matches nothing (the exponent makes half the words count a quarter).
/// </summary>
public sealed record ChannelFusion
{
    public static ChannelFusion Default { get; } = new();

    /// <summary>Weight of the rescaled visual score.</summary>
    public double Visual { get; init => field = Check(value); } = 1.0;

    /// <summary>Weight of the text match.</summary>
    public double Text { get; init => field = Check(value); } = 1.5;

    /// <summary>The coverage of the sentence's content words is raised to this power: full matches count, partial ones much less.</summary>
    public double CoverageExponent { get; init => field = Check(value); } = 2.0;

    /// <summary>The fused score of visual part <paramref name="visual"/> (0..1) and word coverage <paramref name="coverage"/> (0..1).</summary>
    public double Fuse(double visual, double coverage) => (Visual * visual) + (Text * TextScore(coverage));

    /// <summary>The text part before weighting: <paramref name="coverage"/> raised to <see cref="CoverageExponent"/>.</summary>
    public double TextScore(double coverage) => coverage <= 0 ? 0 : Math.Pow(coverage, CoverageExponent);

    private static double Check(double value) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a fusion weight must be finite and non-negative");
}
