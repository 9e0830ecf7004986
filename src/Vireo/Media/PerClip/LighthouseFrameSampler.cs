using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Vireo.Media.PerClip;

/// <summary>
/// Streams one frame per clip exactly as Lighthouse's CLIP frame loader takes them: the same FFmpeg filters
/// (<see cref="LighthouseFramePlan"/>), FFmpeg's own autorotation, RGB24 output, so the pixels are FFmpeg's, bit for
/// bit. Frame i belongs to clip i. Each frame carries the time of the decoded frame the fps filter chose
/// (<see cref="VideoFrame.Timestamp"/>) and the start of its output slot (<see cref="VideoFrame.RequestedTime"/>).
/// Frames arrive one at a time: memory stays bounded whatever the video's length.
/// </summary>
public static class LighthouseFrameSampler
{
    private const string InputProbe = "showinfo=checksum=0";

    /// <summary>Streams the frames of <paramref name="info"/>'s primary video stream that <paramref name="plan"/> describes.</summary>
    /// <exception cref="CorruptMediaException">Decoding hit damage (thrown after the last good frame), or no frame could be decoded.</exception>
    public static async IAsyncEnumerable<VideoFrame> SampleAsync(
        MediaInfo info, LighthouseFramePlan plan, FFmpegTools? tools = null, TimeSpan? stallTimeout = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(plan);
        MediaProbe.EnsureSampleable(info);
        tools ??= FFmpegTools.Default;
        var video = info.PrimaryVideo!;
        var frameBytes = checked(plan.Size * plan.Size * 3);
        var clock = new FpsSlotClock(plan.Rate);
        var outputs = Channel.CreateUnbounded<(double Source, double Slot)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var filters = $"{InputProbe},{plan.Filters},{InputProbe}";
        // Filters are numbered in chain order: the probe before fps is the first, the one after crop the last.
        var inputInstance = "Parsed_showinfo_0";
        var outputInstance = "Parsed_showinfo_" + (filters.Count(c => c == ',')).ToString(System.Globalization.CultureInfo.InvariantCulture);
        (long Numerator, long Denominator) outputTimeBase = (0, 1);
        string[] arguments =
        [
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "level+info",
            "-i", FFmpegArguments.InputUrl(Path.GetFullPath(info.Path)),
            "-map", "0:" + FFmpegArguments.Invariant(video.Index), "-an", "-sn", "-dn",
            "-vf", filters, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
        ];
        await using var process = ToolProcess.Start(
            tools.FFmpegPath, arguments,
            line =>
            {
                if (!ShowInfoLine.TryParse(line, out var parsed))
                    return;
                if (parsed.Instance == inputInstance)
                {
                    if (parsed.TimeBase is { } inputBase)
                        clock.SetInputTimeBase(inputBase.Numerator, inputBase.Denominator);
                    else if (parsed.Pts is { } ticks)
                        clock.AddInput(ticks);
                }
                else if (parsed.Instance == outputInstance)
                {
                    if (parsed.TimeBase is { } slotBase)
                        outputTimeBase = slotBase;
                    else if (parsed.Pts is { } pts)
                    {
                        var slotTime = (double)pts * outputTimeBase.Numerator / outputTimeBase.Denominator;
                        outputs.Writer.TryWrite((clock.SourceTime((long)Math.Round(slotTime * plan.Rate.PerSecond)), slotTime));
                    }
                }
            },
            stallTimeout ?? TimeSpan.FromSeconds(60), cancellationToken,
            onStderrEnd: () => outputs.Writer.TryComplete());

        var delivered = 0;
        double? lastTime = null;
        while (true)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(frameBytes);
            process.ResumeWatchdog();
            var read = await process.StandardOutput.ReadAtLeastAsync(buffer.AsMemory(0, frameBytes), frameBytes, throwOnEndOfStream: false, CancellationToken.None).ConfigureAwait(false);
            if (read < frameBytes)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                break;
            }
            process.Touch();
            var (source, slot) = await NextAsync(outputs.Reader, delivered * plan.Rate.Interval).ConfigureAwait(false);
            var frame = new VideoFrame(buffer, plan.Size, plan.Size, double.IsNaN(source) ? slot : source, slot, delivered);
            delivered++;
            lastTime = frame.Timestamp;
            process.PauseWatchdog();
            yield return frame;
        }

        var exitCode = await process.WaitForExitAsync().ConfigureAwait(false);
        process.ThrowIfStopped(info.Path);
        var message = process.Log.Summary();
        if (process.Log.Contains("Decoder (codec"))
            throw new UnsupportedCodecException(info.Path, video.Codec, message);
        if (delivered == 0 && !process.Log.OpenedInput && !process.Log.Contains(Path.GetFileName(info.Path)))
            throw new FFmpegFailedException(tools.FFmpegPath, info.Path, exitCode, message);
        if (exitCode != 0 || process.Log.ErrorCount > 0)
        {
            var where = lastTime is { } last
                ? $"decoding hit damage after {delivered} frame(s); the last good frame is at {last:0.###} s"
                : "decoding failed before the first frame";
            throw new CorruptMediaException(info.Path, "the video is truncated or damaged: " + where, message, delivered, lastTime);
        }
        if (delivered == 0)
            throw new CorruptMediaException(info.Path, "no frame could be decoded", message);
    }

    /// <summary>Probes <paramref name="path"/> and streams its frames with <see cref="LighthouseFramePlan.For(MediaInfo, double, int)"/>.</summary>
    public static async IAsyncEnumerable<VideoFrame> SampleAsync(
        string path, double clipLength = LighthouseFramePlan.DefaultClipLength, int size = LighthouseFramePlan.DefaultSize,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var info = await MediaProbe.ProbeVideoAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        await foreach (var frame in SampleAsync(info, LighthouseFramePlan.For(info, clipLength, size), cancellationToken: cancellationToken).ConfigureAwait(false))
            yield return frame;
    }

    private static async ValueTask<(double Source, double Slot)> NextAsync(ChannelReader<(double Source, double Slot)> reader, double fallbackSlot)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (reader.TryRead(out var item))
                return item;
        }
        return (double.NaN, fallbackSlot);
    }
}
