using System.Buffers.Binary;
using System.Globalization;
using Vireo.Media;
using Vireo.Media.Relay;
using Vireo.Tests.Support;

namespace Vireo.Tests.Media;

/// <summary>
/// The packet relay leaves out non-reference pictures that no sample needs before decoding: every delivered frame must
/// stay byte for byte (and timestamp for timestamp) the frame of decoding every picture, on the encodings that exercise
/// its rules (B-frames and B-pyramids, HEVC, 29.97 fps edges, a container start time, a video starting after the audio,
/// Annex B in MPEG-TS, a rotated file), while it really leaves packets out.
/// </summary>
public class PacketRelayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, double> Videos => new()
    {
        { "h264-bframes", 1 },
        { "h264-bframes", 2 },
        { "h264-pyramid-2997", 1 },
        { "h264-pyramid-2997", 0.5 },
        { "hevc-bframes", 1 },
        { "h264-idr-every-second", 1 },
        { "h264-idr-every-second", 2 },
        { "mkv-start-3.3s", 1 },
        { "mkv-video-after-audio", 1 },
        { "mpegts-annexb", 1 },
    };

    [Theory]
    [MemberData(nameof(Videos))]
    public async Task Frames_equal_those_of_decoding_every_picture(string name, double fps)
    {
        var path = await Video(name);
        var options = new FrameSamplerOptions { Size = FrameSize.Exact(96, 64) };

        var every = await Frames.CollectAsync(path, FrameSampling.AtRate(fps), options with { SkipUnsampledPictures = false });
        var relayed = await Frames.CollectAsync(path, FrameSampling.AtRate(fps), options);

        Assert.True(every.Count >= 5, $"{name}: {every.Count} frames");
        Assert.Equal(every.Select(f => f.Timestamp), relayed.Select(f => f.Timestamp));
        for (var i = 0; i < every.Count; i++)
            Assert.True(every[i].Pixels.SequenceEqual(relayed[i].Pixels), $"{name} at {fps} fps: frame {i} ({every[i].Timestamp:0.###} s) differs");
        var (kept, dropped) = await CountAsync(path, fps);
        Assert.True(dropped > kept / 4, $"{name}: the relay left out only {dropped} of {kept + dropped} packets");
        every.ForEach(f => f.Dispose());
        relayed.ForEach(f => f.Dispose());
    }

    [Fact]
    public async Task With_a_refresh_every_second_only_the_pictures_samples_need_are_decoded()
    {
        // Camera-like: an IDR every 30 frames at 29.97 fps, so each 1-s interval's first frame is (or follows closely) a
        // refresh, and the pictures after it matter to no later sample.
        var (kept, dropped) = await CountAsync(await Video("h264-idr-every-second"), 1);

        Assert.True(kept <= (kept + dropped) / 10, $"{kept} of {kept + dropped} packets sent");
    }

    [Fact]
    public async Task A_rotated_file_and_a_file_without_b_frames_give_the_same_frames()
    {
        foreach (var path in new[] { await TestVideos.QuadrantsRotated90(), await TestVideos.VariableFrameRate() })
        {
            var every = await Frames.CollectAsync(path, FrameSampling.AtRate(1), new() { Size = FrameSize.Exact(32, 24), SkipUnsampledPictures = false });
            var relayed = await Frames.CollectAsync(path, FrameSampling.AtRate(1), new() { Size = FrameSize.Exact(32, 24) });

            Assert.Equal(every.Select(f => f.Timestamp), relayed.Select(f => f.Timestamp));
            Assert.All(every.Zip(relayed), pair => Assert.True(pair.First.Pixels.SequenceEqual(pair.Second.Pixels)));
        }
    }

    [Fact]
    public async Task A_time_the_muxer_refuses_hands_the_rest_to_ffmpeg_reading_the_file()
    {
        // A damaged composition offset gives the picture decoded at 6 s a negative time, which NUT cannot carry; FFmpeg
        // reading the file decodes it all the same. The frames before it came through the relay.
        var path = await NegativeTimeAsync();
        var options = new FrameSamplerOptions { Size = FrameSize.Exact(96, 64) };
        using (var relay = await OpenAsync(path, 2))
        {
            Assert.Null(relay.Run(Stream.Null, Ct));
            Assert.Contains("refused", relay.Refusal, StringComparison.Ordinal);
            Assert.InRange(relay.Counts.Kept, 10, 100);
        }

        var every = await Frames.CollectAsync(path, FrameSampling.AtRate(2), options with { SkipUnsampledPictures = false });
        var relayed = await Frames.CollectAsync(path, FrameSampling.AtRate(2), options);

        Assert.Equal(every.Select(f => f.Timestamp), relayed.Select(f => f.Timestamp));
        for (var i = 0; i < every.Count; i++)
            Assert.True(every[i].Pixels.SequenceEqual(relayed[i].Pixels), $"frame {i} ({every[i].Timestamp:0.###} s) differs");
        every.ForEach(f => f.Dispose());
        relayed.ForEach(f => f.Dispose());
    }

    [Fact]
    public async Task Damage_the_demuxer_reports_is_placed_at_its_time_and_named()
    {
        // A NAL unit size past its packet in the picture shown at 6 s: the parser reports it while reading, in this
        // process; the relay cannot print it (the log belongs to no file), so it records it.
        var path = await BadNalSizeAsync();
        using var relay = await OpenAsync(path, 1);

        Assert.Null(relay.Run(Stream.Null, Ct));

        Assert.Contains(relay.DamageTimes, t => t is > 5 and < 7);
        Assert.Contains("NAL unit size", relay.DamageReport, StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<CorruptMediaException>(() => Frames.CollectAsync(path, FrameSampling.AtRate(1), new() { Size = FrameSize.Exact(32, 24) }));
        Assert.Contains(error.ErrorTimes, t => t is > 5 and < 7);
    }

    [Theory]
    [InlineData("h264-bframes")]
    [InlineData("hevc-bframes")]
    [InlineData("mkv-start-3.3s")]
    [InlineData("mpegts-annexb")]
    public async Task A_damaged_copy_gives_its_frames_or_an_error_naming_it(string name)
    {
        // Seeded damage of the kinds a fuzzing of 100 files exercised (random and zeroed runs, bit flips, cuts,
        // duplicated runs): the demuxer runs in this process, so none may crash it, hang, or blame FFmpeg.
        var source = await Video(name);
        var bytes = await File.ReadAllBytesAsync(source, Ct);
        var random = new Random(17);
        for (var copy = 0; copy < 10; copy++)
        {
            var path = TestVideos.NewPath($"damaged-{copy}-{Path.GetFileName(source)}");
            await File.WriteAllBytesAsync(path, Damaged(bytes, random, copy % 5), Ct);
            try
            {
                (await Frames.CollectAsync(path, FrameSampling.AtRate(1), new() { Size = FrameSize.Exact(32, 24) })).ForEach(f => f.Dispose());
            }
            catch (MediaException e) // not FFmpegFailedException, which says FFmpeg itself is broken
            {
                Assert.Contains(path, e.Message, StringComparison.Ordinal);
            }
        }
    }

    private static byte[] Damaged(byte[] bytes, Random random, int kind)
    {
        var at = random.Next(bytes.Length / 10, bytes.Length);
        var length = Math.Min(new[] { 1, 16, 200, 3000 }[random.Next(4)], bytes.Length - at);
        var copy = bytes.ToList();
        switch (kind)
        {
            case 0: random.NextBytes(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(copy).Slice(at, length)); break;
            case 1: copy.RemoveRange(at, length); copy.InsertRange(at, new byte[length]); break;
            case 2: for (var i = 0; i < length; i++) copy[random.Next(copy.Count)] ^= (byte)(1 << random.Next(8)); break;
            case 3: copy.RemoveRange(at, length); break;
            default: copy.InsertRange(at, bytes.Skip(at).Take(length)); break;
        }
        return [.. copy];
    }

    [Fact]
    public void Non_reference_pictures_are_told_from_their_slices()
    {
        var avc = PictureKinds.For(LibAv.H264, [1, 0x64, 0, 0x1F, 0xFF, 0xE1, 0])!;
        Assert.True(avc.IsNonReference(Prefixed([0x01, 0x9A]))); // non-IDR slice, nal_ref_idc 0
        Assert.True(avc.IsNonReference(Prefixed([0x06, 0x05], [0x01, 0x9A]))); // SEI, then that slice
        Assert.False(avc.IsNonReference(Prefixed([0x41, 0x9A]))); // nal_ref_idc 2
        Assert.False(avc.IsNonReference(Prefixed([0x65, 0x88]))); // IDR
        Assert.True(avc.IsInstantRefresh(Prefixed([0x06, 0x05], [0x65, 0x88])));
        Assert.False(avc.IsInstantRefresh(Prefixed([0x41, 0x9A])));
        Assert.False(avc.IsNonReference(Prefixed([0x06, 0x05]))); // no slice at all
        Assert.False(avc.IsNonReference([0, 0, 0, 9, 0x01, 0x9A])); // a length past the end

        var annexB = PictureKinds.For(LibAv.H264, [])!;
        Assert.True(annexB.IsNonReference([0, 0, 0, 1, 0x09, 0xF0, 0, 0, 1, 0x01, 0x9A, 0x00]));
        Assert.False(annexB.IsNonReference([0, 0, 0, 1, 0x09, 0xF0, 0, 0, 1, 0x21, 0x9A]));

        var hvcc = new byte[23];
        hvcc[0] = 1;
        hvcc[21] = (1 << 3) | 3; // one temporal layer, 4-byte lengths
        var hevc = PictureKinds.For(LibAv.Hevc, hvcc)!;
        Assert.True(hevc.IsNonReference(Prefixed([0x00, 0x01, 0xAF]))); // TRAIL_N, temporal id 0
        Assert.True(hevc.IsInstantRefresh(Prefixed([0x26, 0x01, 0xAF]))); // IDR_W_RADL
        Assert.False(hevc.IsInstantRefresh(Prefixed([0x2A, 0x01, 0xAF]))); // CRA: leading pictures may refer to earlier ones
        Assert.False(hevc.IsNonReference(Prefixed([0x02, 0x01, 0xAF]))); // TRAIL_R
        Assert.False(hevc.IsNonReference(Prefixed([0x26, 0x01, 0xAF]))); // IDR_W_RADL
        hvcc[21] = 3; // temporal layers unknown: nothing is known to be droppable
        Assert.Null(PictureKinds.For(LibAv.Hevc, hvcc));
    }

    [Fact]
    public void A_packet_is_kept_while_it_is_the_earliest_of_its_interval_so_far()
    {
        var firsts = new IntervalFirsts(1);

        Assert.True(firsts.Observe(0));
        Assert.True(firsts.Observe(1.1)); // a P-frame decoded before the B-frames shown before it
        Assert.True(firsts.Observe(1.0));
        Assert.False(firsts.Observe(1.033));
        Assert.True(firsts.Observe(1.9999999999)); // within a hair of 2 s: it may be the first frame of [2, 3)
        Assert.False(firsts.Observe(2.5));
    }

    [Theory]
    [InlineData(1_500_000, 1, 15360, 23040)]
    [InlineData(33_367, 1, 30000, 1001)]
    [InlineData(50, 1, 10000, 1)] // half a tick: away from zero, as av_rescale_q
    [InlineData(-50, 1, 10000, -1)]
    [InlineData(long.MinValue, 1, 90000, 0)] // no start time
    public void The_offset_is_the_command_lines_own(long startMicroseconds, int numerator, int denominator, long expected) =>
        Assert.Equal(expected, PacketRelay.CommandLineOffset(startMicroseconds, new LibAv.Rational(numerator, denominator)));

    private static async Task<(long Kept, long Dropped)> CountAsync(string path, double fps)
    {
        using var relay = await OpenAsync(path, fps);
        Assert.Null(relay.Run(Stream.Null, Ct));
        Assert.Null(relay.Refusal);
        Assert.Empty(relay.DamageTimes);
        return relay.Counts;
    }

    private static async Task<PacketRelay> OpenAsync(string path, double fps)
    {
        var info = await MediaProbe.ProbeVideoAsync(path, FrameSamplerOptions.DefaultMaxSide, null, Ct);
        var video = info.PrimaryVideo!;
        var relay = PacketRelay.TryOpen("file:" + path, new RelayedStream(video.Index, video.Codec, video.Width, video.Height), fps);
        Assert.NotNull(relay);
        return relay;
    }

    /// <summary>"h264-bframes" copied into Matroska (whose demuxer parses H.264), the first NAL unit size of the picture at 6 s made 2^31 - 1.</summary>
    private static Task<string> BadNalSizeAsync() => TestVideos.Custom("relay-bad-nal-size.mkv", async path =>
    {
        var source = await Video("h264-bframes");
        var packet = (await FFmpegRunner.ProbeAsync(source, "v:0", "packet=pts_time,pos,size"))
            .Single(p => double.Parse(p["pts_time"], CultureInfo.InvariantCulture) == 6.0);
        var mp4 = await File.ReadAllBytesAsync(source, Ct);
        var payload = mp4.AsMemory((int)long.Parse(packet["pos"], CultureInfo.InvariantCulture), 64);
        await FFmpegRunner.RunAsync("-i", source, "-c", "copy", path);
        var mkv = await File.ReadAllBytesAsync(path, Ct);
        var at = mkv.AsSpan().IndexOf(payload.Span); // the same AVCC bytes: a stream copy
        Assert.True(at > 0, "the packet's bytes are not in the Matroska copy");
        BinaryPrimitives.WriteInt32BigEndian(mkv.AsSpan(at), int.MaxValue);
        await File.WriteAllBytesAsync(path, mkv, Ct);
    });

    /// <summary>"h264-bframes" with the composition offset (MP4 'ctts') of its 181st picture in decoding order made -100,000 ticks.</summary>
    private static Task<string> NegativeTimeAsync() => TestVideos.Custom("relay-negative-time.mp4", async path =>
    {
        var bytes = await File.ReadAllBytesAsync(await Video("h264-bframes"), Ct);
        var table = bytes.AsSpan().IndexOf("ctts\0\0\0\0"u8); // version 0; an 8-byte run of (count, offset) per entry after the entry count
        Assert.True(table > 0, "no ctts box");
        var entries = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(table + 8));
        for (int entry = 0, first = 0; entry < entries; entry++)
        {
            var run = table + 12 + (8 * entry);
            var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(run));
            if (first + count > 180)
            {
                BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(run + 4), -100_000);
                break;
            }
            first += count;
        }
        await File.WriteAllBytesAsync(path, bytes, Ct);
    });

    private static byte[] Prefixed(params byte[][] units) =>
        [.. units.SelectMany(u => new byte[] { 0, 0, 0, (byte)u.Length }.Concat(u))];

    private static Task<string> Video(string name) => TestVideos.Custom($"relay-{name}" + (name.StartsWith("mkv", StringComparison.Ordinal) ? ".mkv" : name.StartsWith("mpegts", StringComparison.Ordinal) ? ".ts" : ".mp4"), path =>
    {
        const string Source = "testsrc2=size=320x240:rate=30:duration=12";
        string[] x264 = ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-x264-params", "keyint=90"];
        return name switch
        {
            "h264-bframes" => FFmpegRunner.RunAsync(["-f", "lavfi", "-i", Source, .. x264, "-bf", "3", path]),
            "h264-pyramid-2997" => FFmpegRunner.RunAsync(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30000/1001:duration=12",
                "-c:v", "libx264", "-preset", "medium", "-pix_fmt", "yuv420p", "-x264-params", "keyint=120:bframes=3:b-pyramid=normal", path]),
            "h264-idr-every-second" => FFmpegRunner.RunAsync(["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30000/1001:duration=12",
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-x264-params", "keyint=30:min-keyint=30:scenecut=0", path]),
            "hevc-bframes" => FFmpegRunner.RunAsync(["-f", "lavfi", "-i", Source, "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-x265-params", "keyint=90:bframes=3:log-level=error", path]),
            "mkv-start-3.3s" => FFmpegRunner.RunAsync(["-f", "lavfi", "-i", Source, .. x264, "-output_ts_offset", "3.3", path]),
            "mkv-video-after-audio" => FFmpegRunner.RunAsync(["-f", "lavfi", "-i", "sine=frequency=440:duration=12", "-itsoffset", "0.4",
                "-f", "lavfi", "-i", Source, "-map", "1:v", "-map", "0:a", .. x264, "-c:a", "aac", path]),
            "mpegts-annexb" => FFmpegRunner.RunAsync(["-f", "lavfi", "-i", Source, .. x264, "-f", "mpegts", path]),
            _ => throw new ArgumentException(name, nameof(name)),
        };
    });
}
