using Vireo.TimedText;

namespace Vireo.Retrieval;

/// <summary>A timed-text entry that matched the sentence: what a result quotes.</summary>
/// <param name="Channel">Where the text comes from.</param>
/// <param name="Start">Seconds.</param>
/// <param name="End">Seconds.</param>
/// <param name="Text">The entry's text.</param>
/// <param name="Coverage">The share (0..1) of the sentence's content words it contains.</param>
public sealed record MatchedText(TextChannel Channel, double Start, double End, string Text, double Coverage);
