namespace Vireo.TimedText.Speech;

/// <summary>What <see cref="SpeechChannel"/> heard in a video.</summary>
/// <param name="Segments">Transcribed segments in time order, each with its words.</param>
/// <param name="Issues">What could not be transcribed and why (no audio stream, damaged audio).</param>
/// <param name="Language">The language spoken: forced by the options, else the one Whisper detected most; null without speech.</param>
/// <param name="AudioSeconds">Seconds of audio decoded and transcribed.</param>
/// <param name="Elapsed">Wall time of the transcription, decoding included.</param>
public sealed record SpeechTranscript(
    IReadOnlyList<SpeechSegment> Segments, IReadOnlyList<TimedTextIssue> Issues, string? Language, double AudioSeconds, TimeSpan Elapsed)
{
    /// <summary>The segments as timed-text entries of the <see cref="TextChannel.Speech"/> channel.</summary>
    public IReadOnlyList<TimedTextEntry> Entries => [.. Segments.Select(s => s.Entry)];

    /// <summary>Wall time per second of audio (below 1: faster than real time); NaN without audio.</summary>
    public double RealTimeFactor => AudioSeconds > 0 ? Elapsed.TotalSeconds / AudioSeconds : double.NaN;
}

/// <summary>One transcribed segment: its timed-text entry and the words in it.</summary>
/// <param name="Entry">Channel speech; confidence is the mean probability of its text tokens.</param>
/// <param name="Words">The words with their times (empty when word timestamps are off).</param>
public sealed record SpeechSegment(TimedTextEntry Entry, IReadOnlyList<SpeechWord> Words);

/// <summary>A word as Whisper's token timestamps place it.</summary>
/// <param name="Start">Seconds from the start of the video.</param>
/// <param name="End">Seconds, ≥ <paramref name="Start"/>.</param>
/// <param name="Text">The word, with the punctuation written against it.</param>
/// <param name="Probability">Mean probability of its tokens, 0..1.</param>
public sealed record SpeechWord(double Start, double End, string Text, double Probability);

/// <summary>Progress of a transcription.</summary>
/// <param name="TranscribedSeconds">Seconds of audio transcribed so far.</param>
/// <param name="TotalSeconds">Duration of the audio (the container's), 0 when unknown.</param>
public readonly record struct SpeechProgress(double TranscribedSeconds, double TotalSeconds);
