using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vireo.Media.Relay;

/// <summary>
/// Sparse rate sampling without decoding what no sample needs, and without changing a single delivered pixel: this
/// process demuxes the video stream (libavformat, no decoder), leaves out the packets of non-reference pictures that
/// cannot be a sample (<see cref="IntervalFirsts"/>, <see cref="PictureKinds"/>) and the reference pictures that no
/// later sample can need (those between the last possible sample and the next instantaneous decoder refresh: held back
/// until one or the other comes), and hands the rest, with their
/// timestamps already offset as FFmpeg's command line offsets them, to the decoding FFmpeg process as NUT on its
/// standard input (<c>-copyts -f nut -i pipe:0</c>). Nothing else changes: that process selects, scales and converts
/// the same frames from the same packets, so the output is byte for byte that of decoding every frame (tested), at about
/// 0.6 of the decoding CPU for H.264 and HEVC at one frame per second. The decoder itself stays in its own process.
/// </summary>
internal sealed unsafe class PacketRelay : IDisposable
{
    private const int IoBufferSize = 1 << 16;

    private readonly IntervalFirsts _firsts;
    private readonly DecodingTimes _decodingTimes = new();
    private readonly Queue<nint> _held = new();
    private readonly PictureKinds _pictures;
    private readonly LibAv.Rational _timeBase;
    private readonly long _offset;
    private readonly int _streamIndex;
    private nint _input;

    private readonly List<double> _damageTimes = [];
    private double _lastTime;

    private PacketRelay(nint input, int streamIndex, PictureKinds pictures, LibAv.Rational timeBase, long offset, double framesPerSecond)
    {
        (_input, _streamIndex, _pictures, _timeBase, _offset) = (input, streamIndex, pictures, timeBase, offset);
        _firsts = new IntervalFirsts(framesPerSecond);
    }

    /// <summary>
    /// Where reading the file met damage the demuxer or its parser reported (a broken container element, a NAL unit
    /// size past its packet): the time of the last packet of the stream read before each, in seconds, as the decoder's
    /// frame times. FFmpeg reading the file itself reports the same; the decoder only sees what the relay hands on.
    /// Errors while opening (which reads, and may decode, the first packets to learn the streams) are placed at 0 s.
    /// </summary>
    public IReadOnlyList<double> DamageTimes => _damageTimes;

    /// <summary>The libraries' first words on the last damage in <see cref="DamageTimes"/>.</summary>
    public string? DamageReport { get; private set; }

    /// <summary>Packets handed on and left out so far.</summary>
    public (long Kept, long Dropped) Counts { get; private set; }

    /// <summary>
    /// Why the NUT muxer refused the stream, when it did (e.g. a damaged file's negative or non-increasing timestamps,
    /// which FFmpeg's own demuxer passes to its decoder): the relay then stopped, and the caller decodes the file itself.
    /// </summary>
    public string? Refusal { get; private set; }

    /// <summary>
    /// Opens <paramref name="url"/> (FFmpeg's input URL of the file) for relaying its stream <paramref name="video"/>, or
    /// returns null when the relay cannot serve it (no FFmpeg 5.1 libraries, another codec, a layout that does not match
    /// what ffprobe saw): the caller then decodes every frame as before.
    /// </summary>
    public static PacketRelay? TryOpen(string url, RelayedStream video, double framesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(video);
        if (video.Codec is not ("h264" or "hevc") || !LibAv.Available)
            return null;
        nint input = 0;
        var errorsBefore = LibAv.TakeThreadErrors().Count;
        if (LibAv.avformat_open_input(&input, url, 0, 0) < 0)
            return null;
        // As FFmpeg's command line does: the container's start time (which it subtracts) and, for containers without
        // stream headers (MPEG-TS), the picture size are known only once the first packets were read.
        if (LibAv.avformat_find_stream_info(input, 0) < 0)
        {
            LibAv.avformat_close_input(&input);
            return null;
        }
        var count = LibAv.Read<uint>(input, LibAv.FormatStreamCount);
        var stream = video.Index < count ? LibAv.Read<nint>(LibAv.Read<nint>(input, LibAv.FormatStreams), video.Index * sizeof(nint)) : 0;
        var parameters = stream == 0 ? 0 : LibAv.Read<nint>(stream, LibAv.StreamCodecParameters);
        var pictures = parameters == 0 || !SameStream(parameters, video) ? null : PictureKinds.For(
            LibAv.Read<int>(parameters, LibAv.ParametersCodecId),
            new ReadOnlySpan<byte>((void*)LibAv.Read<nint>(parameters, LibAv.ParametersExtradata), LibAv.Read<int>(parameters, LibAv.ParametersExtradataSize)));
        if (pictures is null)
        {
            LibAv.avformat_close_input(&input);
            return null;
        }
        var timeBase = LibAv.Read<LibAv.Rational>(stream, LibAv.StreamTimeBase);
        var relay = new PacketRelay(input, video.Index, pictures, timeBase, CommandLineOffset(LibAv.Read<long>(input, LibAv.FormatStartTime), timeBase), framesPerSecond);
        relay.NoteDamage(errorsBefore); // in the first packets, read to learn the streams
        return relay;
    }

    /// <summary>The struct layout check: the stream the libraries opened is the one ffprobe described.</summary>
    private static bool SameStream(nint parameters, RelayedStream video) =>
        LibAv.Read<int>(parameters, LibAv.ParametersWidth) == video.Width
        && LibAv.Read<int>(parameters, LibAv.ParametersHeight) == video.Height
        && LibAv.Read<int>(parameters, LibAv.ParametersCodecId) == (video.Codec == "h264" ? LibAv.H264 : LibAv.Hevc);

    /// <summary>
    /// The ticks FFmpeg's command line subtracts from every timestamp of the stream: the container's start time (in
    /// microseconds) in the stream's time base, rounded to nearest with halves away from zero (av_rescale_q).
    /// </summary>
    internal static long CommandLineOffset(long startMicroseconds, LibAv.Rational timeBase)
    {
        if (startMicroseconds == LibAv.NoTimestamp)
            return 0;
        var numerator = (Int128)Math.Abs(startMicroseconds) * timeBase.Denominator;
        var denominator = (Int128)1_000_000 * timeBase.Numerator;
        var rounded = (long)((numerator + (denominator / 2)) / denominator);
        return startMicroseconds < 0 ? -rounded : rounded;
    }

    /// <summary>
    /// Writes the relayed stream to <paramref name="sink"/> until the input ends, the sink closes (the decoder stopped),
    /// the muxer refuses a packet (<see cref="Refusal"/>) or <paramref name="cancellationToken"/> fires. Returns an error
    /// message when reading the input failed, else null.
    /// </summary>
    public string? Run(Stream sink, CancellationToken cancellationToken)
    {
        var handle = GCHandle.Alloc(sink);
        nint output = 0, io = 0, packet = 0;
        try
        {
            if (LibAv.avformat_alloc_output_context2(&output, 0, "nut", 0) < 0)
                return "cannot create the NUT muxer";
            var stream = LibAv.avformat_new_stream(output, 0);
            var parameters = LibAv.Read<nint>(stream, LibAv.StreamCodecParameters);
            var source = LibAv.Read<nint>(LibAv.Read<nint>(LibAv.Read<nint>(_input, LibAv.FormatStreams), _streamIndex * sizeof(nint)), LibAv.StreamCodecParameters);
            if (LibAv.avcodec_parameters_copy(parameters, source) < 0)
                return "cannot copy the stream's parameters";
            LibAv.Write(parameters, LibAv.ParametersCodecTag, 0u);
            LibAv.Write(stream, LibAv.StreamTimeBase, _timeBase);
            io = LibAv.avio_alloc_context(LibAv.av_malloc(IoBufferSize), IoBufferSize, 1, GCHandle.ToIntPtr(handle), 0, &WriteToSink, 0);
            LibAv.Write(output, LibAv.FormatPb, io);
            // The timestamps must reach the decoder unchanged (it runs with -copyts): no shift to make them non-negative.
            LibAv.av_opt_set(output, "avoid_negative_ts", "disabled", 0);
            if (!Accepted(LibAv.avformat_write_header(output, 0), "the stream's header"))
                return null;
            var outputTimeBase = LibAv.Read<LibAv.Rational>(stream, LibAv.StreamTimeBase);
            packet = LibAv.av_packet_alloc();
            while (!cancellationToken.IsCancellationRequested)
            {
                var errorsBefore = LibAv.TakeThreadErrors().Count;
                var read = LibAv.av_read_frame(_input, packet);
                NoteDamage(errorsBefore);
                if (read < 0)
                {
                    // The held pictures go too: a file cut short ends in them, and the decoder must see the damage.
                    if (!Flush(output, outputTimeBase))
                        return null;
                    return read == LibAv.ErrorEof ? Trailer(output) : "reading failed: " + LibAv.Message(read);
                }
                if (LibAv.Read<int>(packet, LibAv.PacketStreamIndex) == _streamIndex && !Route(output, packet, outputTimeBase))
                    return null; // the decoder stopped reading, or the muxer refused a packet (Refusal)
                LibAv.av_packet_unref(packet);
            }
            return null;
        }
        finally
        {
            Discard();
            if (packet != 0)
                LibAv.av_packet_free(&packet);
            if (io != 0)
            {
                LibAv.av_free(LibAv.Read<nint>(io, LibAv.IoBuffer));
                LibAv.avio_context_free(&io);
            }
            if (output != 0)
                LibAv.avformat_free_context(output);
            handle.Free();
        }
    }

    /// <summary>
    /// Sends, holds or leaves out one packet of the stream: a possible sample goes at once, after the held pictures it may
    /// refer to; a non-reference picture that is not one is left out; a reference picture is held until a possible sample
    /// comes or the input ends (then it is sent) or an instantaneous decoder refresh comes (then nothing after can refer to
    /// it, and it is left out). False when the decoder stopped reading or the muxer refused a packet.
    /// </summary>
    private bool Route(nint output, nint packet, LibAv.Rational outputTimeBase)
    {
        var data = LibAv.Read<nint>(packet, LibAv.PacketData);
        var bytes = data == 0 ? default : new ReadOnlySpan<byte>((void*)data, LibAv.Read<int>(packet, LibAv.PacketSize));
        if (data != 0 && _pictures.IsInstantRefresh(bytes))
            Discard();
        var pts = LibAv.Read<long>(packet, LibAv.PacketPts);
        if (pts != LibAv.NoTimestamp)
            _lastTime = (double)(pts - _offset) * _timeBase.Numerator / _timeBase.Denominator;
        if (pts == LibAv.NoTimestamp || _firsts.Observe(_lastTime))
            return Flush(output, outputTimeBase) && Relay(output, packet, outputTimeBase);
        if (data != 0 && _pictures.IsNonReference(bytes))
        {
            Counts = Counts with { Dropped = Counts.Dropped + 1 };
            return true;
        }
        var copy = LibAv.av_packet_alloc();
        LibAv.av_packet_move_ref(copy, packet);
        _held.Enqueue(copy);
        return true;
    }

    /// <summary>Records damage when the libraries logged errors on this thread since <paramref name="errorsBefore"/>.</summary>
    private void NoteDamage(int errorsBefore)
    {
        var (errors, first) = LibAv.TakeThreadErrors();
        if (errors == errorsBefore)
            return;
        if (_damageTimes.Count == 0 || _damageTimes[^1] != _lastTime)
            _damageTimes.Add(_lastTime);
        DamageReport = first ?? DamageReport;
    }

    /// <summary>Sends the held pictures in their order; false when the decoder stopped reading or the muxer refused one.</summary>
    private bool Flush(nint output, LibAv.Rational outputTimeBase)
    {
        while (_held.TryDequeue(out var held))
        {
            var sent = Relay(output, held, outputTimeBase);
            LibAv.av_packet_free(&held);
            if (!sent)
                return false;
        }
        return true;
    }

    /// <summary>Leaves out the held pictures: no sample after them can refer to them.</summary>
    private void Discard()
    {
        while (_held.TryDequeue(out var held))
        {
            LibAv.av_packet_free(&held);
            Counts = Counts with { Dropped = Counts.Dropped + 1 };
        }
    }

    private bool Relay(nint output, nint packet, LibAv.Rational outputTimeBase)
    {
        Counts = Counts with { Kept = Counts.Kept + 1 };
        LibAv.Write(packet, LibAv.PacketStreamIndex, 0);
        var pts = LibAv.Read<long>(packet, LibAv.PacketPts);
        var dts = _decodingTimes.Next(pts, LibAv.Read<long>(packet, LibAv.PacketDts));
        if (pts != LibAv.NoTimestamp)
            LibAv.Write(packet, LibAv.PacketPts, pts - _offset);
        if (dts != LibAv.NoTimestamp)
            LibAv.Write(packet, LibAv.PacketDts, dts - _offset);
        LibAv.av_packet_rescale_ts(packet, _timeBase, outputTimeBase);
        return Accepted(LibAv.av_write_frame(output, packet), $"the packet at {pts} (time base {_timeBase.Numerator}/{_timeBase.Denominator})");
    }

    /// <summary>
    /// Whether a write succeeded. A failed one either met a decoder that closed its input (the sink's I/O error: it
    /// stopped or was stopped, which its own exit reports) or was refused by the muxer (<see cref="Refusal"/>).
    /// </summary>
    private bool Accepted(int written, string what)
    {
        if (written >= 0)
            return true;
        if (written != LibAv.ErrorIo)
            Refusal = $"the NUT muxer refused {what}: {LibAv.Message(written)}";
        return false;
    }

    /// <summary>Ends the NUT stream; a failure means the decoder already stopped reading, which its own exit reports.</summary>
    private static string? Trailer(nint output)
    {
        _ = LibAv.av_write_trailer(output);
        return null;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int WriteToSink(nint opaque, byte* buffer, int size)
    {
        try
        {
            ((Stream)GCHandle.FromIntPtr(opaque).Target!).Write(new ReadOnlySpan<byte>(buffer, size));
            return size;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return LibAv.ErrorIo;
        }
    }

    public void Dispose()
    {
        if (_input == 0)
            return;
        var input = _input;
        LibAv.avformat_close_input(&input);
        _input = 0;
    }
}

/// <summary>The stream to relay as ffprobe described it: its index in the file, codec name and coded picture size.</summary>
internal sealed record RelayedStream(int Index, string Codec, int Width, int Height);
