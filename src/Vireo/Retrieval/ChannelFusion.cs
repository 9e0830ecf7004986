namespace Vireo.Retrieval;

/// <summary>
/// How the visual ranking and the timed text are fused into one ranking of videos and moments:
/// <c>score = Visual · v + t</c>, where v is the video's visual score rescaled to [0, 1] over the videos compared (best
/// 1, worst 0) and t the text score of its best matched entry (for a moment: of the entries overlapping it),
/// <c>t = Lexical · c^CoverageExponent + Semantic · m</c> with c the share of the sentence's content words the entry
/// contains and m its meaning match: the cosine s of their sentence embeddings mapped linearly from
/// <see cref="SemanticFloor"/> (0) to <see cref="SemanticCeiling"/> (1), clamped.
/// Measured on planted cases (docs/architecture.md, "Timed text: store and search"): a video whose subtitles or slides
/// say the sentence, in its words or in others, ranks first however unlike the sentence its pictures are, and a video
/// whose text shares only some words or is only loosely related does not pass a video that looks like the sentence.
/// </summary>
public sealed record ChannelFusion
{
    public static ChannelFusion Default { get; } = new();

    /// <summary>Weight of the rescaled visual score.</summary>
    public double Visual { get; init => field = Check(value); } = 1.0;

    /// <summary>Weight of the word match.</summary>
    public double Lexical { get; init => field = Check(value); } = 1.5;

    /// <summary>The coverage of the sentence's content words is raised to this power: full matches count, partial ones much less.</summary>
    public double CoverageExponent { get; init => field = Check(value); } = 2.0;

    /// <summary>Weight of the meaning match.</summary>
    public double Semantic { get; init => field = Check(value); } = 2.0;

    /// <summary>Cosines at or below this count nothing: unrelated sentences of all-MiniLM-L6-v2 lie between −0.1 and about 0.3.</summary>
    public double SemanticFloor { get; init => field = CheckCosine(value); } = 0.35;

    /// <summary>Cosines at or above this count as a full match: paraphrases of this model lie around 0.5–0.8.</summary>
    public double SemanticCeiling { get; init => field = CheckCosine(value); } = 0.6;

    /// <summary>The fused score of visual part <paramref name="visual"/> (0..1) and text score <paramref name="text"/> (<see cref="TextScore"/>).</summary>
    public double Fuse(double visual, double text) => (Visual * visual) + text;

    /// <summary>The text score of an entry whose words cover <paramref name="coverage"/> (0..1) of the sentence's and whose meaning is at cosine <paramref name="similarity"/>.</summary>
    public double TextScore(double coverage, double similarity) => WordsScore(coverage) + MeaningScore(similarity);

    /// <summary>The lexical part of <see cref="TextScore"/>.</summary>
    public double WordsScore(double coverage) => coverage <= 0 ? 0 : Lexical * Math.Pow(coverage, CoverageExponent);

    /// <summary>The semantic part of <see cref="TextScore"/>.</summary>
    public double MeaningScore(double similarity)
    {
        var meaning = similarity <= SemanticFloor ? 0 : (similarity - SemanticFloor) / Math.Max(SemanticCeiling - SemanticFloor, 1e-9);
        return Semantic * Math.Min(1, meaning);
    }

    private static double CheckCosine(double value) =>
        value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a semantic threshold is a cosine in [0, 1]");

    private static double Check(double value) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a fusion weight must be finite and non-negative");
}
