using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vireo.Media;

namespace Vireo.TimedText.Speech;

/// <summary>A stretch of decoded audio: 16 kHz mono float samples and where they start in the video.</summary>
/// <param name="Samples">Valid only until the next chunk is asked for: the buffer is reused.</param>
/// <param name="StartSeconds">Seconds from the start of the audio.</param>
internal readonly record struct AudioChunk(ReadOnlyMemory<float> Samples, double StartSeconds)
{
    public double Seconds => Samples.Length / (double)SpeechAudio.SampleRate;

    public double EndSeconds => StartSeconds + Seconds;
}

/// <summary>
/// Decodes one audio stream with FFmpeg to what Whisper takes (16 kHz, mono, float32) through a pipe, and hands it on
/// in chunks of at most <see cref="SpeechOptions.ChunkSeconds"/>, each cut at a quiet moment: memory stays bounded
/// by one chunk (about 19 MB for five minutes), whatever the video's length.
/// </summary>
internal sealed class SpeechAudio(MediaInfo media, AudioStreamInfo stream, SpeechOptions options)
{
    public const int SampleRate = 16_000;
    private const double QuietWindowSeconds = 0.2;
    private const int PipeBufferBytes = 1 << 16;

    /// <summary>Set after the last chunk when FFmpeg reported damage after some audio was delivered.</summary>
    public string? Damage { get; private set; }

    /// <summary>Seconds of audio delivered.</summary>
    public double DeliveredSeconds { get; private set; }

    public async IAsyncEnumerable<AudioChunk> ReadAsync([EnumeratorCancellation] CancellationToken ct)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("FFmpeg's f32le samples are read as native floats, which needs a little-endian machine");
        var tools = options.Tools ?? FFmpegTools.Default;
        var chunkSamples = (int)Math.Max(SampleRate, options.ChunkSeconds * SampleRate);
        var searchSamples = (int)Math.Clamp(options.CutSearchSeconds * SampleRate, 0, chunkSamples / 2);
        var buffer = new float[chunkSamples];
        var filled = 0;
        long deliveredSamples = 0;
        var bytes = new byte[PipeBufferBytes];
        var pendingBytes = 0;

        await using var process = ToolProcess.Start(tools.FFmpegPath, Arguments(media.Path, stream.Index), null, options.StallTimeout, ct);
        var output = process.StandardOutput;
        while (true)
        {
            process.ResumeWatchdog();
            var read = await output.ReadAsync(bytes.AsMemory(pendingBytes), CancellationToken.None).ConfigureAwait(false);
            if (read > 0)
                process.Touch();
            pendingBytes += read;
            var whole = pendingBytes / sizeof(float);
            for (var consumed = 0; consumed < whole;)
            {
                var taken = Math.Min(whole - consumed, buffer.Length - filled);
                MemoryMarshal.Cast<byte, float>(bytes.AsSpan(consumed * sizeof(float), taken * sizeof(float))).CopyTo(buffer.AsSpan(filled));
                filled += taken;
                consumed += taken;
                if (filled < buffer.Length)
                    continue;
                var cut = QuietCut.Find(buffer, buffer.Length - searchSamples, (int)(QuietWindowSeconds * SampleRate));
                process.PauseWatchdog();
                yield return new AudioChunk(buffer.AsMemory(0, cut), deliveredSamples / (double)SampleRate);
                deliveredSamples += cut;
                DeliveredSeconds = deliveredSamples / (double)SampleRate;
                buffer.AsSpan(cut, filled - cut).CopyTo(buffer);
                filled -= cut;
            }
            // A float split across two reads waits at the front for its other bytes.
            var partial = pendingBytes - whole * sizeof(float);
            bytes.AsSpan(whole * sizeof(float), partial).CopyTo(bytes);
            pendingBytes = partial;
            if (read == 0)
                break;
        }
        if (filled > 0)
        {
            process.PauseWatchdog();
            yield return new AudioChunk(buffer.AsMemory(0, filled), deliveredSamples / (double)SampleRate);
            deliveredSamples += filled;
            DeliveredSeconds = deliveredSamples / (double)SampleRate;
        }

        var exitCode = await process.WaitForExitAsync().ConfigureAwait(false);
        process.ThrowIfStopped(media.Path);
        if (exitCode == 0 && process.Log.ErrorCount == 0)
            yield break;
        var message = process.Log.Summary();
        if (deliveredSamples == 0)
        {
            if (!process.Log.OpenedInput)
                throw new FFmpegFailedException(tools.FFmpegPath, media.Path, exitCode, message);
            throw new CorruptMediaException(media.Path, $"the audio stream {stream.Index} ({stream.Codec}) could not be decoded", message);
        }
        Damage = string.Create(CultureInfo.InvariantCulture, $"the audio is damaged after {DeliveredSeconds:0.###} s; the rest was not transcribed (FFmpeg: {message})");
    }

    /// <summary>
    /// The stream's audio, downmixed and resampled, as raw float32 on standard output. Resampling with async=1 and
    /// first_pts=0 puts every sample at its timestamp on the video's clock: audio that starts late is preceded by
    /// silence, and packets with repeated timestamps (which make the raw muxer fail) are trimmed instead of
    /// shifting everything after them. Info level keeps FFmpeg's "Input #0" line, which tells a broken FFmpeg apart
    /// from a broken file.
    /// </summary>
    internal static List<string> Arguments(string path, int streamIndex) =>
    [
        "-hide_banner", "-nostdin", "-nostats", "-loglevel", "level+info",
        "-i", FFmpegArguments.InputUrl(Path.GetFullPath(path)),
        "-map", "0:" + FFmpegArguments.Invariant(streamIndex), "-vn", "-sn", "-dn",
        "-af", "aresample=async=1:first_pts=0", "-ac", "1", "-ar", FFmpegArguments.Invariant(SampleRate), "-f", "f32le", "pipe:1",
    ];
}
