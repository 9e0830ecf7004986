using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Vireo.Media;

/// <summary>
/// Streams sampled frames of a video as RGB24 with their presentation times. FFmpeg decodes, selects,
/// scales and rotates; frames arrive one at a time, so memory stays bounded whatever the video's length.
/// </summary>
public static class FrameSampler
{
    /// <summary>Probes <paramref name="path"/> and streams the frames that <paramref name="sampling"/> asks for.</summary>
    public static async IAsyncEnumerable<VideoFrame> SampleAsync(
        string path, FrameSampling sampling, FrameSamplerOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new FrameSamplerOptions();
        var info = await MediaProbe.ProbeVideoAsync(path, options.MaxSide, options.Tools, cancellationToken).ConfigureAwait(false);
        await foreach (var frame in SampleAsync(info, sampling, options, cancellationToken).ConfigureAwait(false))
            yield return frame;
    }

    /// <summary>Streams frames of an already probed video.</summary>
    /// <exception cref="CorruptMediaException">
    /// Thrown after the last good frame was delivered when decoding hit damage.
    /// </exception>
    public static async IAsyncEnumerable<VideoFrame> SampleAsync(
        MediaInfo info, FrameSampling sampling, FrameSamplerOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(sampling);
        options ??= new FrameSamplerOptions();
        MediaProbe.EnsureSampleable(info, options.MaxSide);
        var video = info.PrimaryVideo!;
        var (width, height) = options.Size.Resolve(video.DisplayWidth, video.DisplayHeight);
        var run = new SamplingRun(info, video, sampling, width, height, options);

        foreach (var segment in DecodePlanner.Plan(sampling, info.Duration, options, video.NominalFrameRate > 0 ? video.NominalFrameRate : video.FrameRate))
        {
            await foreach (var frame in run.DecodeAsync(segment, cancellationToken).ConfigureAwait(false))
                yield return frame;
        }
        if (run.Delivered == 0)
            throw new CorruptMediaException(info.Path, "no frame could be decoded", run.LastToolMessage);
    }

    /// <summary>The state shared by the segments of one sampling call.</summary>
    private sealed class SamplingRun(
        MediaInfo info, VideoStreamInfo video, FrameSampling sampling, int width, int height, FrameSamplerOptions options)
    {
        private readonly RequestedTimes _requested = new(sampling);
        private readonly FFmpegTools _tools = options.Tools ?? FFmpegTools.Default;
        private readonly int _frameBytes = checked(width * height * 3);

        public int Delivered { get; private set; }

        public double? LastTimestamp { get; private set; }

        public string? LastToolMessage { get; private set; }

        /// <summary>The time of the last frame parsed before each decoding error (see <see cref="CorruptMediaException.ErrorTimes"/>).</summary>
        public List<double> ErrorTimes { get; } = [];

        private double _lastParsed;

        /// <summary>
        /// Decodes one segment. When the packet relay cannot carry a damaged file's stream (<see cref="Relay.PacketRelay.Refusal"/>),
        /// the segment is decoded again from the file itself, past the frames already delivered, whose errors it reports anew.
        /// </summary>
        public async IAsyncEnumerable<VideoFrame> DecodeAsync(DecodeSegment segment, [EnumeratorCancellation] CancellationToken ct)
        {
            var (deliveredBefore, errorsBefore) = (Delivered, ErrorTimes.Count);
            _relayRefusal = null;
            await foreach (var frame in DecodeOnceAsync(segment, null, ct).ConfigureAwait(false))
                yield return frame;
            if (_relayRefusal is null)
                yield break;
            lock (ErrorTimes)
                ErrorTimes.RemoveRange(errorsBefore, ErrorTimes.Count - errorsBefore);
            var delivered = new DeliveredFrames(Delivered - deliveredBefore, Delivered > deliveredBefore ? LastTimestamp : null);
            await foreach (var frame in DecodeOnceAsync(segment with { RelayRate = null }, delivered, ct).ConfigureAwait(false))
                yield return frame;
        }

        /// <summary>Why the relay of the current segment stopped, when the muxer refused its stream.</summary>
        private string? _relayRefusal;

        /// <summary>
        /// The frames a refused relayed run delivered. Up to the refused packet the relayed decoder saw what FFmpeg sees; it
        /// then met the end of its input, so its last frames may be ones the whole file puts later: a frame of the file
        /// run goes on only past as many frames as were delivered and past the last delivered time.
        /// </summary>
        private sealed record DeliveredFrames(int Count, double? LastTimestamp)
        {
            public bool Covers(int index, double timestamp) => index < Count || timestamp <= LastTimestamp;
        }

        /// <summary>One FFmpeg run of <paramref name="segment"/>, past the frames a refused relayed run of it <paramref name="delivered"/>.</summary>
        private async IAsyncEnumerable<VideoFrame> DecodeOnceAsync(DecodeSegment segment, DeliveredFrames? delivered, [EnumeratorCancellation] CancellationToken ct)
        {
            var fullPath = Path.GetFullPath(info.Path);
            _lastParsed = segment.SeekTo;
            await using var relay = segment.RelayRate is { } rate
                ? await RelayedInput.OpenAsync(fullPath, video, rate, options.StallTimeout, ct).ConfigureAwait(false)
                : null;
            var timestamps = Channel.CreateUnbounded<double>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var parser = new ShowInfoParser(segment.SeekMicroseconds, (long)Math.Round(info.StartTime * 1e6));
            var arguments = FFmpegArguments.Decode(fullPath, video, segment, width, height, options, relayed: relay is not null);
            await using var process = ToolProcess.Start(
                _tools.FFmpegPath, arguments,
                line =>
                {
                    if (parser.TryParseFrame(line, out var seconds))
                    {
                        timestamps.Writer.TryWrite(seconds);
                        _lastParsed = seconds;
                    }
                    else if (ToolLog.IsError(line) || ToolLog.IsConcealedDamage(line))
                    {
                        lock (ErrorTimes)
                        {
                            if (ErrorTimes.Count == 0 || ErrorTimes[^1] != _lastParsed)
                                ErrorTimes.Add(_lastParsed);
                        }
                    }
                },
                options.StallTimeout, ct,
                onStderrEnd: () => timestamps.Writer.TryComplete(),
                keepStandardInput: relay is not null);
            var output = process.StandardOutput;
            relay?.Start(process.StandardInput, ct);

            var decoded = 0;
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(_frameBytes);
                process.ResumeWatchdog();
                var read = await output.ReadAtLeastAsync(buffer.AsMemory(0, _frameBytes), _frameBytes, throwOnEndOfStream: false, CancellationToken.None).ConfigureAwait(false);
                if (read < _frameBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }
                process.Touch();
                var parsed = await NextTimestampAsync(timestamps.Reader).ConfigureAwait(false);
                var timestamp = double.IsNaN(parsed) ? _requested.Peek() : parsed;
                if (delivered is not null && delivered.Covers(decoded++, timestamp))
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    continue;
                }
                var frame = new VideoFrame(buffer, width, height, timestamp, _requested.Answer(timestamp), Delivered);
                Delivered++;
                LastTimestamp = timestamp;
                process.PauseWatchdog();
                yield return frame;
            }

            var exitCode = await process.WaitForExitAsync().ConfigureAwait(false);
            process.ThrowIfStopped(info.Path);
            LastToolMessage = process.Log.Summary();
            var relayError = relay is null ? null : await relay.ErrorAsync(options.StallTimeout).ConfigureAwait(false);
            if (relay?.Refusal is { } refusal)
            {
                _relayRefusal = refusal;
                yield break;
            }
            if (_relayRefusal is not null)
                LastToolMessage += (string.IsNullOrEmpty(LastToolMessage) ? "" : " | ") + "decoded from the file after the packet relay stopped: " + _relayRefusal;
            if (relayError is not null)
                LastToolMessage = relayError + (LastToolMessage is null ? "" : "; " + LastToolMessage);
            var (demuxDamage, demuxReport) = relay?.Damage ?? ([], null);
            if (demuxDamage.Count > 0)
            {
                lock (ErrorTimes)
                    ErrorTimes.AddRange(demuxDamage);
                LastToolMessage = "reading the file: " + (demuxReport ?? "damage") + (string.IsNullOrEmpty(LastToolMessage) ? "" : " | " + LastToolMessage);
            }
            if (process.Log.Contains("Decoder (codec"))
                throw new UnsupportedCodecException(info.Path, video.Codec, LastToolMessage);
            if (Delivered == 0 && !process.Log.OpenedInput)
            {
                if (process.Log.Contains("Permission denied"))
                    throw new MediaFileNotFoundException(info.Path, LastToolMessage);
                if (!process.Log.Contains(relay is null ? Path.GetFileName(fullPath) : FFmpegArguments.RelayedInputUrl))
                    throw new FFmpegFailedException(_tools.FFmpegPath, info.Path, exitCode, LastToolMessage);
            }
            if (exitCode != 0 || process.Log.ErrorCount > 0 || process.Log.ConcealedCount > 0 || relayError is not null || demuxDamage.Count > 0)
            {
                var where = LastTimestamp is { } last
                    ? $"decoding hit damage after {Delivered} frame(s); the last good frame is at {last:0.###} s"
                    : "decoding failed before the first frame";
                List<double> errorTimes;
                lock (ErrorTimes)
                    errorTimes = [.. ErrorTimes.Order()];
                throw new CorruptMediaException(info.Path, "the video is truncated or damaged: " + where, LastToolMessage, Delivered, LastTimestamp) { ErrorTimes = errorTimes };
            }
        }

        private static async ValueTask<double> NextTimestampAsync(ChannelReader<double> reader)
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                if (reader.TryRead(out var seconds))
                    return seconds;
            }
            return double.NaN;
        }
    }

    /// <summary>Maps each delivered frame to the time that was asked for.</summary>
    private sealed class RequestedTimes(FrameSampling sampling)
    {
        private readonly IReadOnlyList<double>? _times = (sampling as TimestampSampling)?.Timestamps;
        private readonly double _rate = (sampling as RateSampling)?.FramesPerSecond ?? 0;
        private int _next;

        public double Peek() => _times is null ? _next / _rate : _times[Math.Min(_next, _times.Count - 1)];

        /// <summary>The requested time a frame at <paramref name="timestamp"/> answers.</summary>
        public double Answer(double timestamp)
        {
            if (_times is null)
            {
                var bucket = Math.Max(0, (int)Math.Floor(timestamp * _rate + 1e-9));
                _next = bucket + 1;
                return bucket / _rate;
            }
            // A frame answers the earliest unanswered time at or before it; later times it also covers are skipped.
            var answered = _times[Math.Min(_next, _times.Count - 1)];
            while (_next < _times.Count && _times[_next] <= timestamp + 1e-6)
                _next++;
            return answered;
        }
    }
}
