namespace Vireo.Grounding.Trained;

/// <summary>One moment query's answer: [start, end] seconds (float32, as the network's span times the window's length) and its foreground probability.</summary>
public readonly record struct PredictedMoment(float Start, float End, float Score, int Query);
