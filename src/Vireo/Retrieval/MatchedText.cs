using Vireo.TimedText;

namespace Vireo.Retrieval;

/// <summary>A timed-text entry that matched the sentence by its words, its meaning or both: what a result quotes.</summary>
/// <param name="Channel">Where the text comes from.</param>
/// <param name="Start">Seconds.</param>
/// <param name="End">Seconds.</param>
/// <param name="Text">The entry's text.</param>
/// <param name="Coverage">The share (0..1) of the sentence's content words it contains (0 when only its meaning matched).</param>
/// <param name="Similarity">The cosine of its sentence embedding with the sentence's (0 when it was not compared).</param>
/// <param name="Score">Its text score (<see cref="ChannelFusion.TextScore"/>), the part of the fused score that it brings.</param>
/// <param name="ByMeaning">True when its meaning brought more of <paramref name="Score"/> than its words (a quote that may share no word with the sentence).</param>
public sealed record MatchedText(TextChannel Channel, double Start, double End, string Text, double Coverage, double Similarity, double Score, bool ByMeaning);
