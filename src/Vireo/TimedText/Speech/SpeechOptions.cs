using Vireo.Media;

namespace Vireo.TimedText.Speech;

/// <summary>How <see cref="SpeechChannel"/> transcribes.</summary>
public sealed record SpeechOptions
{
    /// <summary>Threads whisper.cpp computes with; 0 = one per core.</summary>
    public int Threads { get; init; }

    /// <summary>The spoken language as a two-letter code ("en", "de"); null = detected from the audio.</summary>
    public string? Language { get; init; }

    /// <summary>Word timestamps from whisper.cpp's token timestamps (slightly slower).</summary>
    public bool WordTimestamps { get; init; } = true;

    /// <summary>
    /// Re-decode a window at higher temperatures when the greedy text looks wrong (repetitive or improbable), as
    /// Whisper does; off decodes every window once, faster and worse.
    /// </summary>
    public bool TemperatureFallback { get; init; } = true;

    /// <summary>
    /// The longest stretch of audio held in memory and given to Whisper at once, in seconds. Longer audio is cut at
    /// the quietest moment of the stretch's last <see cref="CutSearchSeconds"/>, so a cut rarely splits a word.
    /// </summary>
    public double ChunkSeconds { get; init; } = 300;

    /// <summary>How far back from a chunk's end a quiet cut is looked for, in seconds.</summary>
    public double CutSearchSeconds { get; init; } = 30;

    /// <summary>The file's stream index of the audio to transcribe; null = the first audio stream.</summary>
    public int? AudioStream { get; init; }

    /// <summary>Where ffmpeg and ffprobe are; null = <see cref="FFmpegTools.Default"/>.</summary>
    public FFmpegTools? Tools { get; init; }

    /// <summary>FFmpeg is stopped when it produces no audio for this long.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    internal int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}
