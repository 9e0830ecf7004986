using System.Diagnostics;
using Vireo.Media;
using Whisper.net;

namespace Vireo.TimedText.Speech;

/// <summary>
/// The speech channel: what is said in a video, transcribed by Whisper (whisper.cpp through Whisper.net, on the CPU)
/// into timed segments with words, confidence and the language.
/// </summary>
public static class SpeechChannel
{
    /// <summary>
    /// Transcribes the audio of <paramref name="videoPath"/>. A file without audio gives no segment and an issue saying
    /// so; audio damaged midway gives the segments before the damage and an issue.
    /// </summary>
    /// <exception cref="MediaException">The file cannot be read, or its audio cannot be decoded at all.</exception>
    /// <exception cref="FFmpegNotFoundException">FFmpeg is missing.</exception>
    public static async Task<SpeechTranscript> TranscribeAsync(
        string videoPath, SpeechModel model, SpeechOptions? options = null, IProgress<SpeechProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(videoPath);
        ArgumentNullException.ThrowIfNull(model);
        options ??= new SpeechOptions();
        var clock = Stopwatch.StartNew();
        var media = await MediaProbe.ProbeAsync(videoPath, options.Tools, cancellationToken).ConfigureAwait(false);
        var issues = new List<TimedTextIssue>();
        var stream = ChooseStream(media, options.AudioStream, issues);
        if (stream is null)
            return new SpeechTranscript([], issues, options.Language, 0, clock.Elapsed);

        // An English-only model's language detection answers at random (it has no language tokens to weigh).
        var language = options.Language ?? (model.Header.IsMultilingual ? null : "en");
        var segments = new WhisperSegments(model.Source, language, options.WordTimestamps);
        var audio = new SpeechAudio(media, stream, options);
        var current = new AudioChunk(ReadOnlyMemory<float>.Empty, 0);
        await using var processor = Build(model, options, language, percent =>
            progress?.Report(new SpeechProgress(current.StartSeconds + current.Seconds * percent / 100.0, media.Duration)));
        await foreach (var chunk in audio.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            current = chunk;
            await foreach (var segment in processor.ProcessAsync(chunk.Samples, cancellationToken).ConfigureAwait(false))
                segments.Add(segment, chunk);
            progress?.Report(new SpeechProgress(chunk.EndSeconds, media.Duration));
        }
        if (audio.Damage is { } damage)
            issues.Add(new TimedTextIssue(StreamName(stream), damage));
        return new SpeechTranscript(segments.Segments, issues, segments.Language, audio.DeliveredSeconds, clock.Elapsed);
    }

    private static AudioStreamInfo? ChooseStream(MediaInfo media, int? index, List<TimedTextIssue> issues)
    {
        var name = Path.GetFileName(media.Path);
        if (media.AudioStreams.Count == 0)
        {
            issues.Add(new TimedTextIssue(name, "the file has no audio stream: no speech to transcribe"));
            return null;
        }
        if (index is null)
            return media.AudioStreams[0];
        var chosen = media.AudioStreams.FirstOrDefault(s => s.Index == index);
        if (chosen is null)
            issues.Add(new TimedTextIssue(name, $"stream {index} is not an audio stream (audio streams: {string.Join(", ", media.AudioStreams.Select(s => s.Index))})"));
        return chosen;
    }

    private static WhisperProcessor Build(SpeechModel model, SpeechOptions options, string? language, Action<int> onPercent) =>
        model.CreateProcessor(builder =>
        {
            builder = builder
                .WithThreads(options.EffectiveThreads)
                .WithProbabilities()
                .WithProgressHandler(percent => onPercent(percent));
            builder = language is not null ? builder.WithLanguage(language) : builder.WithLanguageDetection();
            if (options.WordTimestamps)
                builder = builder.WithTokenTimestamps();
            return options.TemperatureFallback ? builder : builder.WithTemperatureInc(0);
        });

    private static string StreamName(AudioStreamInfo stream) =>
        stream.Language is { Length: > 0 } language ? $"stream {stream.Index} ({stream.Codec}, {language})" : $"stream {stream.Index} ({stream.Codec})";
}
