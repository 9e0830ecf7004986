namespace Vireo.TimedText.Ocr;

/// <summary>How far the on-screen text channel got in a video.</summary>
/// <param name="Position">Seconds of video done.</param>
/// <param name="Duration">Seconds of video in all.</param>
/// <param name="FramesSampled">Frames decoded and compared.</param>
/// <param name="FramesRead">Frames handed to Tesseract (the picture changed and was not flat).</param>
public readonly record struct OcrProgress(double Position, double Duration, int FramesSampled, int FramesRead);

/// <summary>The on-screen text of a video, and what it took to read it.</summary>
/// <param name="Entries">The spans of identical text, in time order (<see cref="TextChannel.Ocr"/>).</param>
/// <param name="Duration">Seconds of video.</param>
/// <param name="FramesSampled">Frames decoded and compared.</param>
/// <param name="FramesRead">Frames handed to Tesseract.</param>
public sealed record OcrReading(IReadOnlyList<TimedTextEntry> Entries, double Duration, int FramesSampled, int FramesRead);
